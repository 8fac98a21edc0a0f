#pragma once

#include <string>

namespace ajuste {

// Where in the user's input something is: a YAML file position (1-based), or a pseudo-file
// such as "<command line>" for --set overrides.
struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based; 0 = unknown

  [[nodiscard]] std::string toString() const {
    std::string out = file;
    if (line > 0) {
      out += ":" + std::to_string(line);
      if (column > 0) out += ":" + std::to_string(column);
    }
    return out;
  }
};

// One problem found in a pipeline before running it. Rendered as
// "pipelines/x.yaml:15:18: error: stage 'split' (split/random), option valid_ratio: must be < 1, found 1.5".
struct Diagnostic {
  SourceLocation location;
  std::string message;
  bool warning = false;

  [[nodiscard]] std::string toString() const {
    return location.toString() + (warning ? ": warning: " : ": error: ") + message;
  }
};

}  // namespace ajuste
