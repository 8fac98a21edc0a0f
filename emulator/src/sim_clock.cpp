#include "sim_clock.hpp"

#include <chrono>

namespace ajuste::emulator {
namespace {

double steadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

SimClock::SimClock(double scale, double origin) : scale_(scale), origin_(origin), started_real_(steadySeconds()) {}

double SimClock::now() const { return origin_ + (steadySeconds() - started_real_) * scale_ + advanced_; }

double wallClockSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace ajuste::emulator
