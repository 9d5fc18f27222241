#pragma once
// The client side of `flowline ctl`: finds the instance's socket, makes sure it belongs to the
// current user (the file's owner and mode are the authentication), sends one command.
#include <string>

#include "front/ctl/ctl_protocol.hpp"

namespace flowline::ctl {

enum class CtlStatus {
  kOk,          // the command ran
  kRefused,     // the instance refused the command (bad arguments, unknown id…)
  kNoInstance,  // nothing is listening for this state directory
  kUnsafe,      // the socket is not the current user's: we did not talk to it
  kFailed,      // talking to the instance failed (it died mid-command, garbled reply)
};

struct CtlAnswer {
  CtlStatus status = CtlStatus::kFailed;
  std::string output;  // the instance's output, or why there was none
};

CtlAnswer ctl_call(const std::string& state_dir, const CtlRequest& request);

// Whether a FlowLine of the current user answers on `state_dir`'s socket (connects only:
// the instance sees a client that left without asking anything).
bool ctl_instance_live(const std::string& state_dir);

}  // namespace flowline::ctl
