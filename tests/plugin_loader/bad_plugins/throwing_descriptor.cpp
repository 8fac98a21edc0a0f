// Its descriptor function throws: the runner must report it, not crash.
#include <stdexcept>

#include "ajuste/export.hpp"

namespace throwing_descriptor {
const ajuste::PluginDescriptor& describe() { throw std::runtime_error("descriptor exploded"); }
}  // namespace throwing_descriptor

AJUSTE_EXPORT_PLUGIN(throwing_descriptor::describe)
