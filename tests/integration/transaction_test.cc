// MULTI/EXEC and WATCH across connections, against the real server: WATCH races, expiry of a
// watched key, waiters woken only after the transaction, and all-or-nothing across kill -9.
// (One connection's replies are compared with redis-server in tests/resp/transactions.txt.)
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

class TransactionTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TransactionTest, AnotherClientsWriteToAWatchedKeyAbortsExec) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  RespClient a(server.port()), b(server.port());
  EXPECT_EQ(Str(a.Command({"SET", "balance", "10"})), "OK");

  // Unchanged: EXEC runs.
  EXPECT_EQ(Str(a.Command({"WATCH", "balance"})), "OK");
  EXPECT_EQ(Str(a.Command({"MULTI"})), "OK");
  EXPECT_EQ(Str(a.Command({"INCRBY", "balance", "5"})), "QUEUED");
  ReplyValue ran = a.Command({"EXEC"});
  ASSERT_EQ(ran.elements.size(), 1u);
  EXPECT_EQ(ran.elements[0].integer, 15);

  // Changed by another client between WATCH and EXEC: a null reply, nothing applied.
  EXPECT_EQ(Str(a.Command({"WATCH", "balance"})), "OK");
  EXPECT_EQ(Str(b.Command({"SET", "balance", "100"})), "OK");
  EXPECT_EQ(Str(a.Command({"MULTI"})), "OK");
  EXPECT_EQ(Str(a.Command({"INCRBY", "balance", "5"})), "QUEUED");
  ReplyValue aborted = a.Command({"EXEC"});
  EXPECT_TRUE(aborted.is_null_aggregate) << aborted.DebugString();
  EXPECT_EQ(Str(a.Command({"GET", "balance"})), "100");

  // A write that changes nothing (SETNX on an existing key) is not a change.
  EXPECT_EQ(Str(a.Command({"WATCH", "balance"})), "OK");
  EXPECT_EQ(b.Command({"SETNX", "balance", "1"}).integer, 0);
  EXPECT_EQ(Str(a.Command({"MULTI"})), "OK");
  EXPECT_EQ(Str(a.Command({"GET", "balance"})), "QUEUED");
  ReplyValue kept = a.Command({"EXEC"});
  ASSERT_EQ(kept.elements.size(), 1u);
  EXPECT_EQ(Str(kept.elements[0]), "100");

  // Deleting, a new TTL and FLUSHALL by another client all count.
  for (const std::vector<std::string>& other :
       {std::vector<std::string>{"DEL", "balance"}, {"EXPIRE", "balance", "1000"}, {"FLUSHALL"}}) {
    EXPECT_EQ(Str(a.Command({"SET", "balance", "1"})), "OK");
    EXPECT_EQ(Str(a.Command({"WATCH", "balance"})), "OK");
    b.Command(other);
    EXPECT_EQ(Str(a.Command({"MULTI"})), "OK");
    EXPECT_EQ(Str(a.Command({"SET", "balance", "mine"})), "QUEUED");
    EXPECT_TRUE(a.Command({"EXEC"}).is_null_aggregate) << other[0];
  }
}

TEST_P(TransactionTest, AWatchedKeyThatExpiresAbortsExec) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  RespClient a(server.port()), b(server.port());
  EXPECT_EQ(Str(a.Command({"SET", "lock", "owner", "PX", "150"})), "OK");
  EXPECT_EQ(Str(a.Command({"WATCH", "lock"})), "OK");
  // Another client looking at it after its deadline finds it gone.
  EXPECT_TRUE(PollUntil(
      [&] {
        return b.Command({"EXISTS", "lock"}).integer == 0;
      },
      std::chrono::seconds(10)));
  EXPECT_EQ(Str(a.Command({"MULTI"})), "OK");
  EXPECT_EQ(Str(a.Command({"SET", "lock", "stale-owner"})), "QUEUED");
  EXPECT_TRUE(a.Command({"EXEC"}).is_null_aggregate);
  EXPECT_TRUE(IsNil(a.Command({"GET", "lock"})));
}

TEST_P(TransactionTest, WaitersAreServedAfterTheTransactionNotInsideIt) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  RespClient admin(server.port());
  auto waiter = BlockOn(server.port(), {"BLPOP", "jobs", "0"}, admin, 1);
  RespClient producer(server.port());
  EXPECT_EQ(Str(producer.Command({"MULTI"})), "OK");
  EXPECT_EQ(Str(producer.Command({"RPUSH", "jobs", "a"})), "QUEUED");
  EXPECT_EQ(Str(producer.Command({"RPUSH", "jobs", "b"})), "QUEUED");
  EXPECT_EQ(Str(producer.Command({"LRANGE", "jobs", "0", "-1"})), "QUEUED");
  ReplyValue r = producer.Command({"EXEC"});
  ASSERT_EQ(r.elements.size(), 3u) << r.DebugString();
  EXPECT_EQ(r.elements[0].integer, 1);
  EXPECT_EQ(r.elements[1].integer, 2);  // the waiter did not take "a" in between
  ASSERT_EQ(r.elements[2].elements.size(), 2u);
  auto popped = waiter->ReadReply();
  ASSERT_TRUE(popped.has_value()) << waiter->last_error();
  ASSERT_EQ(popped->elements.size(), 2u);
  EXPECT_EQ(Str(popped->elements[1]), "a");
  EXPECT_EQ(producer.Command({"LLEN", "jobs"}).integer, 1);
  EXPECT_EQ(BlockedClients(admin), 0);
}

TEST_P(TransactionTest, ADisconnectedClientsTransactionLeavesNothingBehind) {
  ServerProcess server(WithProfile(GetParam()));
  ASSERT_TRUE(server.Start());
  {
    RespClient gone(server.port());
    EXPECT_EQ(Str(gone.Command({"WATCH", "k"})), "OK");
    EXPECT_EQ(Str(gone.Command({"MULTI"})), "OK");
    EXPECT_EQ(Str(gone.Command({"SET", "k", "never"})), "QUEUED");
  }
  RespClient c(server.port());
  EXPECT_TRUE(PollUntil([&] { return InfoField(c, "clients", "connected_clients") == "1"; },
                        std::chrono::seconds(10)));
  EXPECT_TRUE(IsNil(c.Command({"GET", "k"})));
  EXPECT_EQ(Str(c.Command({"SET", "k", "v"})), "OK");
  EXPECT_EQ(Str(c.Command({"WATCH", "k"})), "OK");
  EXPECT_EQ(Str(c.Command({"MULTI"})), "OK");
  EXPECT_EQ(Str(c.Command({"GET", "k"})), "QUEUED");
  EXPECT_EQ(c.Command({"EXEC"}).elements.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Profiles, TransactionTest, ::testing::Values("cache", "session", "queue"));

// Each EXEC sets ten keys to its round number. After kill -9 every key holds the same round:
// the last acknowledged one, or the one after it if its EXEC reached the log unacknowledged.
TEST(TransactionDurability, Kill9LeavesEveryExecAllOrNothing) {
  ServerProcess server(WithProfile("queue"));
  ASSERT_TRUE(server.Start());
  constexpr int kKeys = 10;
  for (int attempt = 0; attempt < 5; ++attempt) {
    int acknowledged = -1;
    {
      RespClient c(server.port());
      auto block = [&](int round) {
        std::vector<std::vector<std::string>> cmds = {{"MULTI"}};
        for (int k = 0; k < kKeys; ++k) {
          cmds.push_back({"SET", "tx:" + std::to_string(k), std::to_string(round)});
        }
        cmds.push_back({"INCR", "tx:rounds"});
        cmds.push_back({"EXEC"});
        return cmds;
      };
      for (int round = 0; round < 50; ++round) {
        std::vector<ReplyValue> replies = c.Pipeline(block(attempt * 1000 + round));
        ASSERT_EQ(replies.back().elements.size(), static_cast<size_t>(kKeys + 1));
        acknowledged = attempt * 1000 + round;
      }
      // One more EXEC sent without waiting for its reply, then the kill.
      std::string raw;
      for (const auto& cmd : block(attempt * 1000 + 50)) raw += RespClient::Encode(cmd);
      ASSERT_TRUE(c.SendRaw(raw));
      server.Kill9();
    }
    ASSERT_TRUE(server.Start());
    RespClient c(server.port());
    std::string first = Str(c.Command({"GET", "tx:0"}));
    for (int k = 1; k < kKeys; ++k) {
      EXPECT_EQ(Str(c.Command({"GET", "tx:" + std::to_string(k)})), first)
          << "key " << k << " of a half-applied EXEC (attempt " << attempt << ")";
    }
    int round = std::stoi(first);
    EXPECT_TRUE(round == acknowledged || round == acknowledged + 1)
        << "round " << round << ", last acknowledged " << acknowledged;
  }
}

}  // namespace
}  // namespace strata::testing
