// The only file of this plugin that knows about exporting.
#include "ajuste/export.hpp"
#include "ajuste/plugin.hpp"

#include "chat_validator.hpp"

namespace ajuste::validate_chat {

const PluginDescriptor& describe() {
  static const PluginDescriptor kDescriptor{
      .name = "builtin-validate-chat", .version = "0.1.0", .stages = {ChatValidator::info()}};
  return kDescriptor;
}

}  // namespace ajuste::validate_chat

AJUSTE_EXPORT_PLUGIN(ajuste::validate_chat::describe)
