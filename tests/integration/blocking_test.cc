// Blocking pops end to end, with several real clients: first come first served, one push
// wakes at most as many waiters as it has elements, timeouts, disconnects that leave nothing
// behind, CLIENT UNBLOCK, and blocked_clients in INFO.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

class Blocking : public BlockingServerTest {};

TEST_P(Blocking, WaitersAreServedFirstComeFirstServed) {
  RespClient admin(server_->port());
  auto a = BlockOn({"BLPOP", "q", "0"}, admin, 1);
  auto b = BlockOn({"BRPOP", "q", "0"}, admin, 2);
  auto c = BlockOn({"BLPOP", "other", "q", "0"}, admin, 3);
  // Two elements wake exactly two waiters, the first two to arrive.
  EXPECT_EQ(admin.Command({"RPUSH", "q", "one", "two"}).integer, 2);
  auto ra = a->ReadReply();
  ASSERT_TRUE(ra);
  EXPECT_EQ(ra->elements[0].str, "q");
  EXPECT_EQ(ra->elements[1].str, "one");
  auto rb = b->ReadReply();
  ASSERT_TRUE(rb);
  EXPECT_EQ(rb->elements[1].str, "two");
  EXPECT_EQ(BlockedClients(admin), 1);
  EXPECT_EQ(admin.Command({"EXISTS", "q"}).integer, 0);
  // The third is still waiting, and is served by the next push.
  EXPECT_EQ(admin.Command({"LPUSH", "q", "three"}).integer, 1);
  auto rc = c->ReadReply();
  ASSERT_TRUE(rc);
  EXPECT_EQ(rc->elements[0].str, "q");
  EXPECT_EQ(rc->elements[1].str, "three");
  EXPECT_EQ(BlockedClients(admin), 0);
}

TEST_P(Blocking, TimeoutRepliesNullAndFractionsWork) {
  RespClient c(server_->port());
  ReplyValue r = c.Command({"BLPOP", "nothing", "0.05"});
  EXPECT_EQ(r.type, ReplyValue::Type::kNull);
  r = c.Command({"BLMOVE", "nothing", "dst", "LEFT", "RIGHT", "0.05"});
  EXPECT_EQ(r.type, ReplyValue::Type::kNull);
  EXPECT_EQ(Str(c.Command({"BLPOP", "k", "-1"})), "ERR timeout is negative");
  EXPECT_EQ(Str(c.Command({"BLPOP", "k", "abc"})), "ERR timeout is not a float or out of range");
  EXPECT_EQ(Str(c.Command({"PING"})), "PONG");  // exactly one reply per command
}

TEST_P(Blocking, ADisconnectedWaiterLeavesNothingBehind) {
  RespClient admin(server_->port());
  auto gone = BlockOn({"BLPOP", "q", "0"}, admin, 1);
  auto stays = BlockOn({"BLPOP", "q", "0"}, admin, 2);
  gone->Close();
  ASSERT_TRUE(PollUntil([&] { return BlockedClients(admin) == 1; }, milliseconds(5000)));
  EXPECT_EQ(admin.Command({"RPUSH", "q", "x"}).integer, 1);
  auto r = stays->ReadReply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->elements[1].str, "x");
  EXPECT_EQ(admin.Command({"LLEN", "q"}).integer, 0);
}

TEST_P(Blocking, BlmoveWakesAndChainsToTheNextWaiter) {
  RespClient admin(server_->port());
  auto mover = BlockOn({"BLMOVE", "src", "dst", "RIGHT", "LEFT", "0"}, admin, 1);
  auto popper = BlockOn({"BLPOP", "dst", "0"}, admin, 2);
  EXPECT_EQ(admin.Command({"RPUSH", "src", "job"}).integer, 1);
  auto moved = mover->ReadReply();
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->str, "job");
  // The move created dst, which serves the second waiter in turn.
  auto popped = popper->ReadReply();
  ASSERT_TRUE(popped);
  EXPECT_EQ(popped->elements[1].str, "job");
}

TEST_P(Blocking, ClientUnblockEndsTheWait) {
  RespClient admin(server_->port());
  auto w = std::make_unique<RespClient>(server_->port());
  int64_t id = w->Command({"CLIENT", "ID"}).integer;
  ASSERT_TRUE(w->SendRaw(RespClient::Encode({"BRPOP", "q", "0"})));
  ASSERT_TRUE(PollUntil([&] { return BlockedClients(admin) == 1; }, milliseconds(5000)));
  EXPECT_EQ(admin.Command({"CLIENT", "UNBLOCK", std::to_string(id), "ERROR"}).integer, 1);
  auto r = w->ReadReply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->str, "UNBLOCKED client unblocked via CLIENT UNBLOCK");
  EXPECT_EQ(admin.Command({"CLIENT", "UNBLOCK", std::to_string(id)}).integer, 0);
}

TEST_P(Blocking, AWrongTypeKeyKeepsTheWaiterBlocked) {
  RespClient admin(server_->port());
  auto w = BlockOn({"BLPOP", "k", "0"}, admin, 1);
  EXPECT_EQ(Str(admin.Command({"SET", "k", "string"})), "OK");
  EXPECT_EQ(BlockedClients(admin), 1);  // as Redis 7.0: only a list can serve it
  EXPECT_EQ(admin.Command({"DEL", "k"}).integer, 1);
  EXPECT_EQ(admin.Command({"RPUSH", "k", "v"}).integer, 1);
  auto r = w->ReadReply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->elements[1].str, "v");
}

INSTANTIATE_TEST_SUITE_P(Profiles, Blocking, ::testing::Values("cache", "session", "queue"));

}  // namespace
}  // namespace strata::testing
