// `flowline ctl` against an in-process CtlServer over the real socket, with a fake engine.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "fakes/fake_engine.hpp"
#include "front/cli/commands.hpp"
#include "front/ctl/ctl_client.hpp"
#include "front/ctl/ctl_server.hpp"
#include "front/ctl/unix_socket.hpp"
#include "front/shell/command_interpreter.hpp"

namespace flowline::cli {
int ctl_main(const Args& args);
}

namespace flowline::ctl {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr unsigned kNobody = 65534;

class CtlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/flowline-ctl-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    server_.reset();
    std::system(("rm -rf " + dir_).c_str());
  }
  void start_server() {
    server_ = std::make_unique<CtlServer>(engine_, dir_);
    Status started = server_->start();
    ASSERT_TRUE(started.ok()) << started.error().message;
  }
  CtlAnswer call(std::vector<std::string> argv, size_t width = 0) {
    return ctl_call(dir_, CtlRequest{std::move(argv), width, false});
  }
  // Runs `flowline ctl` in-process; returns its exit status and what it printed.
  int ctl(std::vector<std::string> args, std::string* out = nullptr, std::string* err = nullptr) {
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    int status = cli::ctl_main(args);
    std::string o = ::testing::internal::GetCapturedStdout();
    std::string e = ::testing::internal::GetCapturedStderr();
    if (out) *out = o;
    if (err) *err = e;
    return status;
  }

  std::string dir_;
  testing::FakeEngine engine_;
  std::unique_ptr<CtlServer> server_;
};

TEST_F(CtlTest, CommandRoundTripChangesTheEngineAndPrintsItsAnswer) {
  start_server();
  CtlAnswer a = call({"max", "2"});
  EXPECT_EQ(a.status, CtlStatus::kOk);
  EXPECT_EQ(a.output, "max 2\n");
  EXPECT_EQ(engine_.snapshot()->settings.max_running, 2);
}

TEST_F(CtlTest, PrintsExactlyWhatTheShellPrints) {
  start_server();
  shell::CommandInterpreter local(engine_, shell::Surface::kShell);
  for (const char* command : {"ls", "gpus", "task", "status", "help"}) {
    CtlAnswer a = call({command}, 70);
    EXPECT_EQ(a.output, local.execute({command}, {70, false}).text) << command;
  }
  EXPECT_EQ(call({"task", "--json"}).output, local.execute({"task", "--json"}, {}).text);
}

TEST_F(CtlTest, ExitStatusesAreZeroOneAndThree) {
  start_server();
  std::string out, err;
  EXPECT_EQ(ctl({"--state-dir", dir_, "ls"}, &out), 0);
  EXPECT_THAT(out, StartsWith("RUN  TASK"));
  EXPECT_EQ(ctl({"--state-dir", dir_, "kill", "abc"}, &out, &err), 1);
  EXPECT_EQ(err, "usage: kill <run id>  (run ids: see ls)\n");
  EXPECT_EQ(out, "");
  EXPECT_EQ(ctl({"--state-dir=" + dir_, "kill", "99"}, &out, &err), 1);
  EXPECT_EQ(err, "no run 99\n");
  EXPECT_EQ(engine_.snapshot()->runs.size(), 2u);
  server_.reset();  // the instance ends: its socket goes with it
  EXPECT_EQ(ctl({"--state-dir", dir_, "ls"}, &out, &err), 3);
  EXPECT_EQ(err, "no FlowLine is running with state dir " + dir_ + " (no socket at " + dir_ +
                     "/ctl.sock)\n");
}

TEST_F(CtlTest, BadUsageOfCtlItselfIsExitTwo) {
  EXPECT_EQ(ctl({"--state-dir", dir_}), 2);
  EXPECT_EQ(ctl({"--bogus", "ls"}), 2);
  std::string out;
  EXPECT_EQ(ctl({"--help"}, &out), 0);
  EXPECT_THAT(out, HasSubstr("exit status"));
}

TEST_F(CtlTest, StaleSocketMeansNoInstanceAndIsReplacedByTheNextServer) {
  // A crashed instance leaves a socket file nobody listens on.
  auto addr = socket_address(socket_path(dir_));
  ASSERT_TRUE(addr.ok());
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&addr.value()), sizeof(sockaddr_un)), 0);
  ::close(fd);
  ::chmod(socket_path(dir_).c_str(), 0600);
  CtlAnswer a = call({"ls"});
  EXPECT_EQ(a.status, CtlStatus::kNoInstance);
  EXPECT_THAT(a.output, HasSubstr("stale socket"));
  start_server();
  EXPECT_EQ(call({"ls"}).status, CtlStatus::kOk);
}

TEST_F(CtlTest, SecondServerOnTheSameStateDirIsRefused) {
  start_server();
  CtlServer second(engine_, dir_);
  Status s = second.start();
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, HasSubstr("another FlowLine is already running"));
  EXPECT_EQ(call({"ls"}).status, CtlStatus::kOk);  // the first is untouched
}

TEST_F(CtlTest, SocketIsPrivateToItsUser) {
  start_server();
  struct stat st {};
  ASSERT_EQ(::lstat(server_->path().c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_uid, ::geteuid());
}

TEST_F(CtlTest, ClientRefusesASocketOthersCanReach) {
  start_server();
  ASSERT_EQ(::chmod(server_->path().c_str(), 0666), 0);
  CtlAnswer a = call({"max", "9"});
  EXPECT_EQ(a.status, CtlStatus::kUnsafe);
  EXPECT_THAT(a.output, HasSubstr("other users can reach it (mode 0666"));
  EXPECT_EQ(engine_.snapshot()->settings.max_running, 4);
}

TEST_F(CtlTest, ClientRefusesASocketOwnedBySomeoneElse) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown the socket to nobody";
  start_server();
  ASSERT_EQ(::chown(server_->path().c_str(), kNobody, kNobody), 0);
  std::string err;
  EXPECT_EQ(ctl({"--state-dir", dir_, "max", "9"}, nullptr, &err), 1);
  EXPECT_THAT(err, HasSubstr("owned by uid 65534, not by you (uid 0)"));
  EXPECT_EQ(engine_.snapshot()->settings.max_running, 4);
}

// A child process as `nobody` that connects straight to the socket (bypassing the client's own
// checks) and returns what the server answered.
static std::string talk_as_nobody(const std::string& path, const std::string& request) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return "pipe failed";
  auto addr = socket_address(path);
  pid_t pid = ::fork();
  if (pid == 0) {  // only async-signal-safe calls from here on
    ::close(pipe_fds[0]);
    if (::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) ::_exit(2);
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr.value()), sizeof(sockaddr_un)))
      ::_exit(3);
    // The server may refuse and close before the request is sent: no SIGPIPE for that.
    (void)!::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    char buf[512];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof(buf))) > 0) (void)!::write(pipe_fds[1], buf, n);
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string reply;
  char buf[512];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buf, sizeof(buf))) > 0) reply.append(buf, n);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return "child failed with status " + std::to_string(status);
  return reply;
}

TEST_F(CtlTest, ServerRefusesAPeerOfAnotherUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to become nobody";
  start_server();
  // Loosen the file so that nobody can connect at all: the peer-uid check must still refuse.
  ASSERT_EQ(::chmod(dir_.c_str(), 0755), 0);
  ASSERT_EQ(::chmod(server_->path().c_str(), 0666), 0);
  std::string reply = talk_as_nobody(server_->path(), encode_request({{"max", "9"}, 0, false}));
  EXPECT_THAT(reply, HasSubstr("refused: uid 65534 is not the user running this FlowLine"));
  EXPECT_EQ(engine_.snapshot()->settings.max_running, 4);
}

TEST_F(CtlTest, StopOverCtlStopsTheInstanceAndExitIsRefused) {
  start_server();
  CtlAnswer exit = call({"exit"});
  EXPECT_EQ(exit.status, CtlStatus::kRefused);
  EXPECT_THAT(exit.output, HasSubstr("use `stop`"));
  EXPECT_FALSE(engine_.stop_mode().has_value());
  EXPECT_EQ(call({"stop", "--leave-runs"}).status, CtlStatus::kOk);
  EXPECT_EQ(engine_.stop_mode(), StopMode::kLeaveRuns);
}

TEST_F(CtlTest, GarbledRequestIsRefusedNotCrashed) {
  start_server();
  auto addr = socket_address(server_->path());
  FdGuard fd(::socket(AF_UNIX, SOCK_STREAM, 0));
  ASSERT_EQ(
      ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr.value()), sizeof(sockaddr_un)),
      0);
  ASSERT_TRUE(write_all(fd.get(), "{not json\n").ok());
  auto reply = read_to_end(fd.get(), 4096);
  ASSERT_TRUE(reply.ok());
  auto decoded = decode_reply(reply.value());
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(decoded->ok);
  EXPECT_THAT(decoded->output, HasSubstr("expected {\"argv\""));
  EXPECT_EQ(call({"ls"}).status, CtlStatus::kOk);
}

TEST(CtlProtocol, OutputTravelsAsItIsAndTruncationIsNoticed) {
  const std::string output = "line one\n\"quoted\" \xff\xfe not UTF-8\n{\"ok\": false}\n";
  const std::string wire = encode_reply({true, output});
  auto decoded = decode_reply(wire);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(decoded->ok);
  EXPECT_EQ(decoded->output, output);
  auto cut = decode_reply(wire.substr(0, wire.size() - 3));
  ASSERT_FALSE(cut.ok());
  EXPECT_THAT(cut.error().message, HasSubstr("in the middle of its answer"));
  EXPECT_FALSE(decode_reply("").ok());
  EXPECT_FALSE(decode_reply("garbage\n").ok());
}

TEST(CtlProtocol, ReadsTheOlderOneLineReply) {
  auto decoded = decode_reply("{\"ok\": false, \"output\": \"no task 9\\n\"}\n");
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(decoded->ok);
  EXPECT_EQ(decoded->output, "no task 9\n");
}

// A state directory too deep for a socket path (issue 14) is reached through its descriptor;
// a missing one is an error naming it, not a crash.
TEST_F(CtlTest, DeepStateDirStillServesAndAMissingOneIsAnError) {
  const std::string deep = dir_ + "/" + std::string(100, 'd');
  ASSERT_EQ(::mkdir(deep.c_str(), 0700), 0);
  CtlServer server(engine_, deep);
  ASSERT_TRUE(server.start().ok());
  EXPECT_EQ(ctl_call(deep, CtlRequest{{"ls"}, 80, false}).status, CtlStatus::kOk);
  server.stop();
  CtlServer missing(engine_, "/tmp/" + std::string(200, 'd'));
  Status s = missing.start();
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, HasSubstr("cannot open /tmp/ddd"));
}

}  // namespace
}  // namespace flowline::ctl
