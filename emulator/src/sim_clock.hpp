#pragma once

namespace ajuste::emulator {

// Simulated time: `scale` simulated seconds pass per real second, plus whatever
// /_emulator/advance adds. Scale 0 freezes the clock so tests move it only by advancing.
// Threads: not synchronized; the World's mutex guards it.
class SimClock {
 public:
  // `origin` is the simulated Unix time at construction.
  SimClock(double scale, double origin);

  [[nodiscard]] double now() const;
  void advance(double seconds) { advanced_ += seconds; }
  [[nodiscard]] double scale() const { return scale_; }

 private:
  double scale_;
  double origin_;
  double started_real_;
  double advanced_ = 0;
};

// Real wall-clock Unix time, in seconds.
double wallClockSeconds();

}  // namespace ajuste::emulator
