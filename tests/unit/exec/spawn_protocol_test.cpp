#include "exec/local/spawn_protocol.hpp"

#include <gtest/gtest.h>

#include <string>

namespace flowline::spawn_protocol {
namespace {

TEST(SpawnProtocol, RequestsSurviveTheTripWithEveryField) {
  Request r;
  r.records = "/state/runs/slots";
  r.slot = 3;
  r.run_id = 7;
  r.command = "python train.py --lr '0.1'; echo done";
  r.timeout_ms = 90000;
  r.grace_ms = 250;
  r.durable = true;
  r.cwd = "/work dir";
  r.env = {"A=1", "EMPTY=", "CUDA_VISIBLE_DEVICES=0,1"};
  auto back = decode(encode(r));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->records, r.records);
  EXPECT_EQ(back->slot, 3);
  EXPECT_EQ(back->run_id, 7);
  EXPECT_EQ(back->command, r.command);
  EXPECT_EQ(back->timeout_ms, r.timeout_ms);
  EXPECT_EQ(back->grace_ms, 250);
  EXPECT_TRUE(back->durable);
  EXPECT_EQ(back->cwd, r.cwd);
  EXPECT_EQ(back->env, r.env);

  r.timeout_ms.reset();
  r.env.clear();
  r.durable = false;
  back = decode(encode(r));
  ASSERT_TRUE(back.has_value());
  EXPECT_FALSE(back->timeout_ms.has_value());
  EXPECT_TRUE(back->env.empty());
  EXPECT_FALSE(back->durable);
}

TEST(SpawnProtocol, MalformedRequestsAreRefused) {
  Request r;
  r.records = "/r/slots";
  r.command = "true";
  const std::string good = encode(r);
  ASSERT_TRUE(decode(good).has_value());
  EXPECT_FALSE(decode("").has_value());
  EXPECT_FALSE(decode(good.substr(0, good.size() - 1)).has_value());  // last field unterminated
  EXPECT_FALSE(decode(std::string("flowline-spawn-0") + good.substr(16)).has_value());
  std::string bad_timeout = good;
  bad_timeout.replace(bad_timeout.find("true") + 5, 0, "-5");  // timeout "-5"
  EXPECT_FALSE(decode(bad_timeout).has_value());
  r.records.clear();
  EXPECT_FALSE(decode(encode(r)).has_value());
}

}  // namespace
}  // namespace flowline::spawn_protocol
