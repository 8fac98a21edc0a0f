#pragma once

#include "ajuste/stage.hpp"

namespace ajuste::provider::azure {

// upload/azure, finetune/azure, monitor/azure: the shared provider stages speaking Azure
// OpenAI's dated API (default 2024-10-21) or its v1 API. deploy/azure is in deploy_stage.hpp.
const StageInfo& uploadInfo();
const StageInfo& finetuneInfo();
const StageInfo& monitorInfo();

}  // namespace ajuste::provider::azure
