// A shared library with no ajuste symbols, like a helper library next to a plugin.
__attribute__((visibility("default"))) int helperFunction() { return 42; }
