// Blocking stream reads end to end, with several real clients: XREADGROUP waiters are served
// first come first served, one entry to one consumer; XREAD waiters on '$' all see a new entry
// and only what came after they blocked; a destroyed group answers its waiters with -NOGROUP;
// timeouts answer a null array.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

// The IDs of an XREAD/XREADGROUP reply's first stream.
std::vector<std::string> Ids(const ReplyValue& r) {
  std::vector<std::string> out;
  if (r.elements.empty()) return out;
  for (const ReplyValue& e : r.elements[0].elements[1].elements) out.push_back(Str(e.elements[0]));
  return out;
}

class StreamBlocking : public BlockingServerTest {};

TEST_P(StreamBlocking, GroupWaitersGetOneEntryEachInArrivalOrder) {
  RespClient admin(server_->port());
  ASSERT_EQ(Str(admin.Command({"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"})), "OK");
  const std::vector<std::string> read = {"XREADGROUP", "GROUP", "g",       "",  "COUNT", "1",
                                         "BLOCK",      "0",     "STREAMS", "s", ">"};
  auto with = [&](const char* consumer) {
    std::vector<std::string> r = read;
    r[3] = consumer;
    return r;
  };
  auto a = BlockOn(with("a"), admin, 1);
  auto b = BlockOn(with("b"), admin, 2);
  ASSERT_EQ(Str(admin.Command({"XADD", "s", "1-1", "f", "v"})), "1-1");
  auto ra = a->ReadReply();
  ASSERT_TRUE(ra);
  EXPECT_EQ(Ids(*ra), std::vector<std::string>{"1-1"});
  EXPECT_EQ(BlockedClients(admin), 1) << "one entry, one consumer: b keeps waiting";
  ASSERT_EQ(Str(admin.Command({"XADD", "s", "2-1", "f", "v"})), "2-1");
  auto rb = b->ReadReply();
  ASSERT_TRUE(rb);
  EXPECT_EQ(Ids(*rb), std::vector<std::string>{"2-1"});
  ReplyValue pending = admin.Command({"XPENDING", "s", "g", "-", "+", "10"});
  ASSERT_EQ(pending.elements.size(), 2u);
  EXPECT_EQ(Str(pending.elements[0].elements[1]), "a");
  EXPECT_EQ(Str(pending.elements[1].elements[1]), "b");
}

TEST_P(StreamBlocking, XReadOnDollarSeesOnlyWhatCameAfter) {
  RespClient admin(server_->port());
  ASSERT_EQ(Str(admin.Command({"XADD", "s", "1-1", "f", "v"})), "1-1");
  auto a = BlockOn({"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}, admin, 1);
  auto b = BlockOn({"XREAD", "BLOCK", "0", "STREAMS", "s", "other", "$", "$"}, admin, 2);
  ASSERT_EQ(Str(admin.Command({"XADD", "s", "5-1", "f", "v"})), "5-1");
  auto ra = a->ReadReply();
  auto rb = b->ReadReply();
  ASSERT_TRUE(ra && rb);
  EXPECT_EQ(Ids(*ra), std::vector<std::string>{"5-1"});
  EXPECT_EQ(Ids(*rb), std::vector<std::string>{"5-1"}) << "XREAD does not consume: both see it";
  EXPECT_EQ(BlockedClients(admin), 0);
}

TEST_P(StreamBlocking, DestroyedGroupAndTimeout) {
  RespClient admin(server_->port());
  ASSERT_EQ(Str(admin.Command({"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"})), "OK");
  auto a = BlockOn({"XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "STREAMS", "s", ">"}, admin, 1);
  EXPECT_EQ(admin.Command({"XGROUP", "DESTROY", "s", "g"}).integer, 1);
  auto ra = a->ReadReply();
  ASSERT_TRUE(ra);
  EXPECT_TRUE(IsError(*ra));
  EXPECT_EQ(ra->str, "NOGROUP the consumer group this client was blocked on no longer exists");
  EXPECT_EQ(BlockedClients(admin), 0);
  // A timeout answers a null array.
  RespClient c(server_->port());
  ReplyValue r = c.Command({"XREAD", "BLOCK", "50", "STREAMS", "s", "$"});
  EXPECT_TRUE(IsNil(r)) << r.DebugString();
}

// When the stream goes away (DEL, SET over it, FLUSHALL, expiry), blocked XREADGROUPs are
// answered -UNBLOCKED, as Redis 7.0 does; a blocked XREAD on the same key waits on.
TEST_P(StreamBlocking, GroupWaitersAreToldWhenTheStreamGoesAway) {
  const std::vector<std::vector<std::string>> endings = {
      {"DEL", "s"}, {"SET", "s", "x"}, {"FLUSHALL"}, {"PEXPIRE", "s", "1"}};
  for (const auto& ending : endings) {
    SCOPED_TRACE(ending[0]);
    RespClient admin(server_->port());
    admin.Command({"DEL", "s"});
    ASSERT_EQ(Str(admin.Command({"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"})), "OK");
    RespClient reader(server_->port());
    int64_t reader_id = reader.Command({"CLIENT", "ID"}).integer;
    ASSERT_TRUE(reader.SendRaw(RespClient::Encode({"XREAD", "BLOCK", "0", "STREAMS", "s", "$"})));
    ASSERT_TRUE(PollUntil([&] { return BlockedClients(admin) == 1; }, milliseconds(5000)));
    auto group =
        BlockOn({"XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "STREAMS", "s", ">"}, admin, 2);
    ASSERT_FALSE(IsError(admin.Command(ending)));
    auto r = group->ReadReply();
    ASSERT_TRUE(r);
    EXPECT_TRUE(IsError(*r));
    EXPECT_EQ(r->str, "UNBLOCKED the stream key no longer exists");
    EXPECT_TRUE(PollUntil([&] { return BlockedClients(admin) == 1; }, milliseconds(5000)))
        << "the XREAD waits on";
    // Unblock the XREAD (its reply is the timeout's null) before the next round.
    EXPECT_EQ(admin.Command({"CLIENT", "UNBLOCK", std::to_string(reader_id)}).integer, 1);
    auto rr = reader.ReadReply();
    ASSERT_TRUE(rr);
    EXPECT_TRUE(IsNil(*rr)) << rr->DebugString();
  }
}

// After CLIENT UNBLOCK, the same XREAD ... $ sent again is a new command: its '$' is the last
// ID now, so an entry added in between is not returned.
TEST_P(StreamBlocking, XReadSentAgainAfterUnblockStartsFromTheNewLastId) {
  RespClient admin(server_->port());
  ASSERT_EQ(Str(admin.Command({"XADD", "s", "1-1", "f", "v"})), "1-1");
  RespClient reader(server_->port());
  int64_t id = reader.Command({"CLIENT", "ID"}).integer;
  const std::string xread = RespClient::Encode({"XREAD", "BLOCK", "0", "STREAMS", "s", "$"});
  ASSERT_TRUE(reader.SendRaw(xread));
  ASSERT_TRUE(PollUntil([&] { return BlockedClients(admin) == 1; }, milliseconds(5000)));
  EXPECT_EQ(admin.Command({"CLIENT", "UNBLOCK", std::to_string(id)}).integer, 1);
  auto first = reader.ReadReply();
  ASSERT_TRUE(first);
  EXPECT_TRUE(IsNil(*first));
  ASSERT_EQ(Str(admin.Command({"XADD", "s", "2-1", "f", "v"})), "2-1");
  ASSERT_TRUE(reader.SendRaw(xread));
  ASSERT_TRUE(PollUntil([&] { return BlockedClients(admin) == 1; }, milliseconds(5000)))
      << "2-1 came before the command: it must block";
  ASSERT_EQ(Str(admin.Command({"XADD", "s", "3-1", "f", "v"})), "3-1");
  auto second = reader.ReadReply();
  ASSERT_TRUE(second);
  EXPECT_EQ(Ids(*second), std::vector<std::string>{"3-1"});
}

INSTANTIATE_TEST_SUITE_P(Profiles, StreamBlocking, ::testing::Values("cache", "queue"));

}  // namespace
}  // namespace strata::testing
