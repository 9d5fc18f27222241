#include "front/shell/message_inbox.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <thread>

namespace flowline::shell {
namespace {

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

TEST(MessageInbox, WakesThePollerAndKeepsOrder) {
  MessageInbox inbox;
  EXPECT_FALSE(readable(inbox.fd()));
  std::thread engine([&] {
    inbox.push("run 3 finished");
    inbox.push("run 4 finished");
  });
  engine.join();
  EXPECT_TRUE(readable(inbox.fd()));
  EXPECT_EQ(inbox.take_all(), (std::vector<std::string>{"run 3 finished", "run 4 finished"}));
  EXPECT_FALSE(readable(inbox.fd()));  // drained: the shell does not spin
  EXPECT_TRUE(inbox.take_all().empty());
}

TEST(MessageInbox, NeverBlocksTheEngineAndDropsTheOldestBeyondItsCap) {
  MessageInbox inbox;
  for (int i = 0; i < 100000; ++i) inbox.push("message " + std::to_string(i));  // pipe fills
  std::vector<std::string> got = inbox.take_all();
  ASSERT_EQ(got.size(), 1000u);
  EXPECT_EQ(got.front(), "message 99000");
  EXPECT_EQ(got.back(), "message 99999");
}

}  // namespace
}  // namespace flowline::shell
