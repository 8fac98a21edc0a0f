#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace ajuste::provider {

// The result file of a job (a CSV, one row per step) as the columns the report reads:
// {"step", "train_loss", "valid_loss", "train_accuracy", "valid_accuracy"}, each an array of
// numbers or nulls, all of the same length (one entry per data row).
//
// Columns are found BY HEADER NAME, since no spec pins them: OpenAI writes
// step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy; Azure writes
// train_mean_token_accuracy, validation_mean_token_accuracy and full_valid_* (on the last row).
// A missing column gives nulls, extra columns are ignored, an empty or unparsable cell is null.
// Tolerates a byte-order mark, CRLF line ends and double-quoted cells.
nlohmann::json metricsFromCsv(std::string_view csv);

// The same shape with no rows: what the report shows when there is no result file.
nlohmann::json emptyMetrics();

}  // namespace ajuste::provider
