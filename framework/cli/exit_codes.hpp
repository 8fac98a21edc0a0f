#pragma once

#include "ajuste/status.hpp"

namespace ajuste {

// The exit codes CI systems act on; documented in the README. Never renumber them.
enum ExitCode : int {
  kExitOk = 0,
  kExitGateFailed = 1,     // the run finished, but the data failed a gate (rejects over a limit, nothing left)
  kExitUsage = 2,          // bad command line or pipeline (YAML, options, chain)
  kExitPlugin = 3,         // a plugin could not be loaded, or broke its contract
  kExitIo = 4,             // a provider or the file system failed
  kExitOverBudget = 5,     // the estimated cost is over the budget (max_cost): nothing was paid for
  kExitInternal = 70,      // a bug in ajuste itself (EX_SOFTWARE)
  kExitInterrupted = 130,  // Ctrl-C
};

inline int exitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kGateFailed:
    case StatusCode::kDataError: return kExitGateFailed;
    case StatusCode::kConfigError: return kExitUsage;
    case StatusCode::kPluginBug: return kExitPlugin;
    case StatusCode::kIoError:
    case StatusCode::kProviderError:
    case StatusCode::kUnknownOutcome: return kExitIo;
    case StatusCode::kCancelled: return kExitInterrupted;
    case StatusCode::kBudgetExceeded: return kExitOverBudget;
    case StatusCode::kInternal: return kExitInternal;
  }
  return kExitInternal;
}

}  // namespace ajuste
