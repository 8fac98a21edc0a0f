// The only file of this plugin that knows about exporting.
#include "ajuste/plugin.hpp"

#include "ajuste/export.hpp"
#include "evaluate_chat_stage.hpp"

namespace ajuste::evaluate_chat {

const PluginDescriptor& describe() {
  static const PluginDescriptor kDescriptor{
      .name = "builtin-evaluate-chat", .version = "0.1.0", .stages = {EvaluateChatStage::info()}};
  return kDescriptor;
}

}  // namespace ajuste::evaluate_chat

AJUSTE_EXPORT_PLUGIN(ajuste::evaluate_chat::describe)
