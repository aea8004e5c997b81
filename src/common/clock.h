// The single source of time. Everything that reads "now" takes a Clock&, so tests can drive
// TTLs and timeouts with a FakeClock instead of sleeping.
#pragma once

#include <atomic>
#include <cstdint>

namespace strata {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock milliseconds since the Unix epoch (TTLs are absolute in this unit).
  virtual int64_t NowMs() const = 0;
  // Wall-clock microseconds since the Unix epoch (TIME, slow log).
  virtual int64_t NowUs() const = 0;
  // Monotonic microseconds, for durations only.
  virtual int64_t MonotonicUs() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override;
  int64_t NowUs() const override;
  int64_t MonotonicUs() const override;
  static SystemClock* Default();
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms = 1'700'000'000'000) : now_us_(start_ms * 1000) {}
  int64_t NowMs() const override { return now_us_.load() / 1000; }
  int64_t NowUs() const override { return now_us_.load(); }
  int64_t MonotonicUs() const override { return now_us_.load(); }
  void AdvanceMs(int64_t ms) { now_us_ += ms * 1000; }
  void SetMs(int64_t ms) { now_us_ = ms * 1000; }

 private:
  std::atomic<int64_t> now_us_;
};

}  // namespace strata
