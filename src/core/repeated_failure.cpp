#include "core/repeated_failure.hpp"

#include <utility>

namespace flowline {

RepeatedFailure::RepeatedFailure(std::string what, std::string recovered, Millis remind_every)
    : what_(std::move(what)), recovered_(std::move(recovered)), remind_every_(remind_every) {}

std::optional<std::string> RepeatedFailure::failed(const std::string& message, Millis now) {
  if (!message_ || *message_ != message) {
    if (!message_) {
      since_ = now;
      attempts_ = 0;
    }
    message_ = message;
    last_said_ = now;
    ++attempts_;
    return message;
  }
  ++attempts_;
  if (now - last_said_ < remind_every_) return std::nullopt;
  last_said_ = now;
  return "still cannot " + what_ + " (for " + failure_duration(now - since_) + ", " +
         std::to_string(attempts_) + " attempts): " + message;
}

std::optional<std::string> RepeatedFailure::succeeded(Millis now) {
  if (!message_) return std::nullopt;
  message_.reset();
  return recovered_ + " (it had failed for " + failure_duration(now - since_) + ")";
}

std::string failure_duration(Millis ms) {
  const int64_t s = ms / 1000;
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m";
  return std::to_string(s / 3600) + "h" + std::to_string(s % 3600 / 60) + "m";
}

}  // namespace flowline
