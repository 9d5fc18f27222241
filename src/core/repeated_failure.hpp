#pragma once
// A failure that repeats on every attempt until something outside FlowLine changes (a table
// that cannot be written while its disk is full): said once, then reminded at most every
// remind interval, and its end said too. Retrying every 200 ms must not print 18,000 lines an
// hour, nor may a fault go unmentioned for good once it was said.
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"

namespace flowline {

class RepeatedFailure {
 public:
  static constexpr Millis kRemindEveryMs = 5 * 60 * 1000;

  // `what` names the failing act in the reminder ("update the table"); `recovered` is said
  // when it works again ("the table is written again").
  RepeatedFailure(std::string what, std::string recovered, Millis remind_every = kRemindEveryMs);

  // One more failed attempt with `message`: what to say now, if anything. A new failure, or a
  // different message, is said at once; the same one again only after the remind interval.
  std::optional<std::string> failed(const std::string& message, Millis now);
  // An attempt worked: what to say, when it had been failing.
  std::optional<std::string> succeeded(Millis now);
  bool failing() const { return message_.has_value(); }

 private:
  std::string what_;
  std::string recovered_;
  Millis remind_every_;
  std::optional<std::string> message_;
  Millis since_ = 0;
  Millis last_said_ = 0;
  int64_t attempts_ = 0;  // failed attempts since it began
};

// "45s", "12m", "3h20m": how long a failure has lasted, for the reminder.
std::string failure_duration(Millis ms);

}  // namespace flowline
