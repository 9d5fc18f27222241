#include "front/ctl/ctl_client.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "front/ctl/unix_socket.hpp"

namespace flowline::ctl {

static constexpr int kReplyTimeoutS = 60;  // a command runs on the engine loop: normally ms
// Replies come from our own instance (its uid is checked): the limit only stops a runaway.
// `task --json` of 100,000 tasks is about 70 MB.
static constexpr size_t kMaxReplyBytes = size_t{1} << 30;

static CtlAnswer answer(CtlStatus status, std::string text) {
  if (!text.empty() && text.back() != '\n') text += '\n';
  return {status, std::move(text)};
}

static std::string no_instance(const std::string& state_dir, const std::string& why) {
  return "no FlowLine is running with state dir " + state_dir + " (" + why + ")";
}

static std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Only a socket owned by us and closed to others may be trusted with our commands: anyone
// could otherwise plant a socket that records them or answers with lies.
static std::optional<CtlAnswer> check_socket_file(const std::string& state_dir,
                                                  const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT)
      return answer(CtlStatus::kNoInstance, no_instance(state_dir, "no socket at " + path));
    return answer(CtlStatus::kFailed, path + ": " + std::strerror(errno));
  }
  if (!S_ISSOCK(st.st_mode))
    return answer(CtlStatus::kUnsafe, "refusing to use " + path + ": it is not a socket");
  if (st.st_uid != ::geteuid())
    return answer(CtlStatus::kUnsafe, "refusing to use " + path + ": it is owned by uid " +
                                          std::to_string(st.st_uid) + ", not by you (uid " +
                                          std::to_string(::geteuid()) + ")");
  if ((st.st_mode & 077) != 0)
    return answer(CtlStatus::kUnsafe, "refusing to use " + path +
                                          ": other users can reach it "
                                          "(mode " +
                                          octal_mode(st.st_mode) + ", expected 0600)");
  return std::nullopt;
}

static CtlAnswer exchange(int fd, const CtlRequest& request) {
  if (Status sent = write_all(fd, encode_request(request)); !sent.ok())
    return answer(CtlStatus::kFailed, sent.error().message);
  auto text = read_to_end(fd, kMaxReplyBytes);
  if (!text.ok()) return answer(CtlStatus::kFailed, text.error().message);
  if (text->empty())
    return answer(CtlStatus::kFailed,
                  "the FlowLine instance closed the connection without "
                  "answering");
  auto reply = decode_reply(text.value());
  if (!reply.ok()) return answer(CtlStatus::kFailed, reply.error().message);
  return {reply->ok ? CtlStatus::kOk : CtlStatus::kRefused, reply->output};
}

bool ctl_instance_live(const std::string& state_dir) {
  std::string path = socket_path(state_dir);
  if (check_socket_file(state_dir, path)) return false;
  auto reach = ReachablePath::of(path);
  if (!reach.ok()) return false;
  auto addr = reach->address();
  if (!addr.ok()) return false;
  FdGuard fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return false;
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr.value()), sizeof(sockaddr_un)))
    return false;
  std::optional<unsigned> server = peer_uid(fd.get());
  return server && *server == ::geteuid();
}

CtlAnswer ctl_call(const std::string& state_dir, const CtlRequest& request) {
  std::string path = socket_path(state_dir);
  if (auto unsafe = check_socket_file(state_dir, path)) return *unsafe;
  auto reach = ReachablePath::of(path);
  if (!reach.ok()) return answer(CtlStatus::kFailed, reach.error().message);
  auto addr = reach->address();
  if (!addr.ok()) return answer(CtlStatus::kFailed, addr.error().message);
  FdGuard fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0)
    return answer(CtlStatus::kFailed, std::string("socket: ") + std::strerror(errno));
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr.value()), sizeof(sockaddr_un))) {
    if (errno == ECONNREFUSED || errno == ENOENT)
      return answer(CtlStatus::kNoInstance, no_instance(state_dir, "stale socket at " + path));
    return answer(CtlStatus::kFailed, path + ": " + std::strerror(errno));
  }
  // The file could have been swapped between lstat and connect: check who really answers.
  std::optional<unsigned> server = peer_uid(fd.get());
  if (!server || *server != ::geteuid())
    return answer(CtlStatus::kUnsafe, "refusing to talk to " + path +
                                          ": the process behind it "
                                          "is not yours");
  set_timeouts(fd.get(), kReplyTimeoutS);
  return exchange(fd.get(), request);
}

}  // namespace flowline::ctl
