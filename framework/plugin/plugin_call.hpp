#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "ajuste/status.hpp"

namespace ajuste {

// The one way the framework enters plugin code: an exception thrown by a plugin becomes a
// Status that names the stage and the step, instead of unwinding through the runner.
template <class Fn>
auto callPlugin(std::string_view who, std::string_view step, Fn&& fn) -> decltype(fn()) {
  using Return = decltype(fn());
  const auto bug = [&](std::string_view what) {
    return Status::pluginBug(std::string(who) + " threw an exception in " + std::string(step) + ": " +
                             std::string(what) + " (a plugin must return an error Status instead; report this to "
                                                 "the plugin's authors)");
  };
  try {
    return std::forward<Fn>(fn)();
  } catch (const std::exception& e) {
    return Return(bug(e.what()));
  } catch (...) {
    return Return(bug("an exception that is not a std::exception"));
  }
}

}  // namespace ajuste
