#pragma once

#include "ajuste/stage.hpp"

namespace ajuste::provider::openai {

// upload/openai, finetune/openai, monitor/openai: the shared provider stages speaking the
// OpenAI API (api.openai.com or any server that speaks it).
const StageInfo& uploadInfo();
const StageInfo& finetuneInfo();
const StageInfo& monitorInfo();

}  // namespace ajuste::provider::openai
