// client-output-buffer-limit for the normal class (pub/sub's is in pubsub_test.cc): a client
// whose reply passes the hard limit is disconnected without it; other clients go on.
#include <gtest/gtest.h>

#include <string>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

TEST(OutputLimit, ANormalClientPastTheHardLimitIsClosed) {
  ServerProcess server(WithProfile("cache"));
  ASSERT_TRUE(server.Start());
  RespClient admin(server.port());
  ASSERT_EQ(Str(admin.Command({"SET", "big", std::string(2 << 20, 'x')})), "OK");
  ASSERT_EQ(Str(admin.Command({"SET", "small", "v"})), "OK");
  // Unlimited by default, as in Redis.
  EXPECT_EQ(Str(admin.Command({"GET", "big"})).size(), size_t{2} << 20);
  ASSERT_EQ(Str(admin.Command({"CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0"})),
            "OK");
  RespClient greedy(server.port());
  EXPECT_EQ(Str(greedy.Command({"GET", "small"})), "v");
  ASSERT_TRUE(greedy.SendRaw(RespClient::Encode({"GET", "big"})));
  EXPECT_TRUE(greedy.WaitForClose(milliseconds(10000)));
  EXPECT_EQ(greedy.Pending().find(std::string(1000, 'x')), std::string::npos)
      << "part of the reply went out";
  EXPECT_EQ(Str(admin.Command({"GET", "small"})), "v");
  EXPECT_NE(server.LogText().find("closed for overcoming of output buffer limits"),
            std::string::npos);
}

}  // namespace
}  // namespace strata::testing
