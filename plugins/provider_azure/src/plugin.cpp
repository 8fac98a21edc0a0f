// The only file of this plugin that knows about exporting.
#include "ajuste/plugin.hpp"

#include "ajuste/export.hpp"
#include "azure_stages.hpp"
#include "deploy_stage.hpp"

namespace ajuste::provider::azure {

const PluginDescriptor& describe() {
  static const PluginDescriptor kDescriptor{
      .name = "builtin-provider-azure",
      .version = "0.1.0",
      .stages = {uploadInfo(), finetuneInfo(), monitorInfo(), DeployStage::info()}};
  return kDescriptor;
}

}  // namespace ajuste::provider::azure

AJUSTE_EXPORT_PLUGIN(ajuste::provider::azure::describe)
