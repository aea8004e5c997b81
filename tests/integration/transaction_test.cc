// MULTI/EXEC and WATCH across connections, against the real server: WATCH races, expiry of a
// watched key, waiters woken only after the transaction, and all-or-nothing across kill -9.
// (One connection's replies are compared with redis-server in tests/resp/transactions.txt.)
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
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

// Whether one of the server's threads is in a sleep system call (clock_nanosleep or nanosleep,
// x86-64 numbers): DEBUG SLEEP is running. The server's other threads wait on futexes.
bool ServerIsSleeping(pid_t pid) {
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(tasks, ec)) {
    std::ifstream f(task.path() / "syscall");
    long number = -1;
    if (f >> number && (number == 230 || number == 35)) return true;
  }
  return false;
}

// A transaction whose commands would each make the server write part of it to the log (SCAN
// and RANDOMKEY read RocksDB, a list grows past what is held in memory, FLUSHDB deletes a
// range, a stream is read from disk) is killed part-way, during a DEBUG SLEEP after those
// commands: none of it may survive, since none of it was acknowledged. Deterministic: the
// kill waits until the sleep is running.
struct MidExecCase {
  const char* name;
  std::vector<std::vector<std::string>> setup;   // acknowledged before the transaction
  std::vector<std::vector<std::string>> middle;  // between SET tx:first and the sleep
};

class TransactionCrash : public ::testing::TestWithParam<MidExecCase> {};

TEST_P(TransactionCrash, Kill9PartWayThroughExecKeepsNoneOfIt) {
  // maxmemory sets how big a collection may be and still be held whole: 1mb gives the
  // smallest limit, 512 (Keyspace::kHotCollectionLimit).
  ServerProcess server(
      WithProfile("queue", {"--enable-debug-command", "yes", "--maxmemory", "1mb"}));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    EXPECT_EQ(Str(c.Command({"SET", "before", "kept"})), "OK");
    if (!GetParam().setup.empty()) {
      for (const ReplyValue& r : c.Pipeline(GetParam().setup)) ASSERT_FALSE(IsError(r));
    }
    std::vector<std::vector<std::string>> queued = {{"MULTI"}, {"SET", "tx:first", "1"}};
    for (const auto& cmd : GetParam().middle) queued.push_back(cmd);
    queued.push_back({"DEBUG", "SLEEP", "30"});
    queued.push_back({"SET", "tx:last", "1"});
    for (const ReplyValue& r : c.Pipeline(queued)) ASSERT_FALSE(IsError(r)) << r.DebugString();
    ASSERT_TRUE(c.SendRaw(RespClient::Encode({"EXEC"})));
    ASSERT_TRUE(PollUntil([&] { return ServerIsSleeping(server.pid()); }, milliseconds(10000)));
    server.Kill9();
  }
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_EQ(Str(c.Command({"GET", "before"})), "kept");
  EXPECT_TRUE(IsNil(c.Command({"GET", "tx:first"}))) << "half of an EXEC survived";
  EXPECT_TRUE(IsNil(c.Command({"GET", "tx:last"})));
  if (GetParam().name == std::string("ListGrowsPastMemory")) {
    EXPECT_EQ(c.Command({"LLEN", "jobs"}).integer, 500);
  }
  if (GetParam().name == std::string("StreamReadFromDisk")) {
    EXPECT_EQ(c.Command({"XLEN", "s"}).integer, 1100);
  }
  if (GetParam().name == std::string("FlushDb")) {
    EXPECT_EQ(c.Command({"DBSIZE"}).integer, 2);  // before, and the setup's key
  }
}

std::vector<std::string> Push(const std::string& key, int from, int n) {
  std::vector<std::string> cmd = {"RPUSH", key};
  for (int i = from; i < from + n; ++i) cmd.push_back("job-" + std::to_string(i));
  return cmd;
}

// XADDs of entries 1..n: past twice the hot limit (512), the oldest leave memory.
std::vector<std::vector<std::string>> StreamOf(int n) {
  std::vector<std::vector<std::string>> cmds;
  for (int i = 1; i <= n; ++i) cmds.push_back({"XADD", "s", std::to_string(i) + "-1", "f", "v"});
  return cmds;
}

INSTANTIATE_TEST_SUITE_P(
    Triggers, TransactionCrash,
    ::testing::Values(
        MidExecCase{"Scan", {}, {{"SCAN", "0"}, {"KEYS", "*"}}},
        MidExecCase{"RandomKey", {}, {{"RANDOMKEY"}}},
        // A durable list stops being held whole past twice the hot limit (512).
        MidExecCase{"ListGrowsPastMemory",
                    {Push("jobs", 0, 500)},
                    {Push("jobs", 500, 600), {"LINDEX", "jobs", "0"}}},
        MidExecCase{"FlushDb",
                    {{"SET", "other", "x"}},
                    {{"SELECT", "1"}, {"SET", "gone", "1"}, {"FLUSHDB"}, {"SELECT", "0"}}},
        MidExecCase{"StreamReadFromDisk",
                    StreamOf(1100),
                    {{"XADD", "s", "5000-1", "f", "v"}, {"XRANGE", "s", "-", "+", "COUNT", "3"}}}),
    [](const ::testing::TestParamInfo<MidExecCase>& info) { return info.param.name; });

// One EXEC takes a hash across the memory limit both ways, changing the same fields on each
// side: HDEL shrinks a big hash (changes applied to RocksDB) until it is held whole again, HSET
// then changes fields in memory (deferred to the log), and more HSETs grow it past the limit
// (the memory copy is written out) and change the same fields again (applied). The replies,
// the state after the EXEC and the state after kill -9 all say the last write of each field
// won: the log replays the deferred writes of the batch before what followed them.
TEST(TransactionDurability, AFieldChangedOnBothSidesOfTheMemoryLimitKeepsItsLastValue) {
  ServerProcess server(WithProfile("queue", {"--maxmemory", "1mb"}));
  ASSERT_TRUE(server.Start());
  auto fields = [](int from, int to, const std::string& value) {
    std::vector<std::string> cmd = {"HSET", "h"};
    for (int i = from; i < to; ++i) {
      cmd.push_back("f" + std::to_string(i));
      cmd.push_back(value);
    }
    return cmd;
  };
  std::vector<std::string> hdel = {"HDEL", "h"};
  for (int i = 0; i < 700; ++i) hdel.push_back("f" + std::to_string(i));
  {
    RespClient c(server.port());
    EXPECT_EQ(c.Command(fields(0, 1200, "start")).integer, 1200);  // past 2 x 512: on disk
    std::vector<ReplyValue> r = c.Pipeline({{"MULTI"},
                                            hdel,                          // 500 left: applied
                                            {"HSET", "h", "f0", "mem"},    // held whole: deferred
                                            {"HSET", "h", "f900", "mem"},  // deferred
                                            fields(2000, 2700, "grow"),    // 1201: written out
                                            {"HSET", "h", "f0", "last"},   // applied
                                            {"HDEL", "h", "f900"},         // applied
                                            {"EXEC"}});
    ASSERT_EQ(r.back().elements.size(), 6u) << r.back().DebugString();
    EXPECT_EQ(r.back().elements[0].integer, 700);
    EXPECT_EQ(c.Command({"HGET", "h", "f0"}).str, "last");
    EXPECT_TRUE(IsNil(c.Command({"HGET", "h", "f900"})));
    EXPECT_EQ(c.Command({"HLEN", "h"}).integer, 1200);
    server.Kill9();  // right after the replies
  }
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_EQ(c.Command({"HGET", "h", "f0"}).str, "last");
  EXPECT_TRUE(IsNil(c.Command({"HGET", "h", "f900"})));
  EXPECT_TRUE(IsNil(c.Command({"HGET", "h", "f1"})));
  EXPECT_EQ(c.Command({"HGET", "h", "f701"}).str, "start");
  EXPECT_EQ(c.Command({"HGET", "h", "f2699"}).str, "grow");
  EXPECT_EQ(c.Command({"HLEN", "h"}).integer, 1200);
  // Every field is where HSCAN finds it, once.
  std::map<std::string, std::string> seen;
  std::string cursor = "0";
  do {
    ReplyValue page = c.Command({"HSCAN", "h", cursor, "COUNT", "100"});
    ASSERT_EQ(page.elements.size(), 2u);
    cursor = page.elements[0].str;
    for (size_t i = 0; i + 1 < page.elements[1].elements.size(); i += 2) {
      seen[page.elements[1].elements[i].str] = page.elements[1].elements[i + 1].str;
    }
  } while (cursor != "0");
  EXPECT_EQ(seen.size(), 1200u);
  EXPECT_EQ(seen["f0"], "last");
  EXPECT_EQ(seen.count("f900"), 0u);
}

// FLUSHDB inside EXEC while another client's writes keep a batch in flight (session profile:
// batches are written by the writer thread while the next one fills). Each EXEC flushes
// database 1 and writes its round into it; after kill -9, database 1 holds exactly one round's
// keys: the last acknowledged one, or the one after it if its record was written but not
// acknowledged. Database 0's acknowledged writes all survive.
TEST(TransactionDurability, FlushdbInsideExecUnderLoadIsAllOrNothing) {
  // everysec: with two clients connected, batches go to the writer thread, so FLUSHDB meets
  // one in flight (under always they are written inline). A kill -9 loses nothing written.
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  constexpr int kKeys = 8;
  int acknowledged = -1;
  int64_t loaded = 0;
  {
    std::atomic<bool> stop{false};
    std::atomic<int64_t> acked_writes{0};
    std::thread load([&] {
      // Raw reads: the kill below cuts this client off mid-pipeline, which is no failure.
      RespClient c(server.port());
      std::string raw;
      for (int i = 0; i < 64; ++i) raw += RespClient::Encode({"INCR", "load"});
      while (!stop.load() && c.SendRaw(raw)) {
        for (int i = 0; i < 64; ++i) {
          std::optional<ReplyValue> r = c.ReadReply();
          if (!r) return;
          if (!IsError(*r)) acked_writes = r->integer;
        }
      }
    });
    RespClient c(server.port());
    auto block = [&](int round) {
      std::vector<std::vector<std::string>> cmds = {{"SELECT", "1"}, {"MULTI"}, {"FLUSHDB"}};
      for (int k = 0; k < kKeys; ++k) {
        cmds.push_back({"SET", "r" + std::to_string(round) + ":" + std::to_string(k), "1"});
      }
      cmds.push_back({"DBSIZE"});
      cmds.push_back({"EXEC"});
      return cmds;
    };
    for (int round = 0; round < 200; ++round) {
      std::vector<ReplyValue> r = c.Pipeline(block(round));
      const ReplyValue& exec = r.back();
      ASSERT_EQ(exec.elements.size(), static_cast<size_t>(kKeys + 2)) << exec.DebugString();
      ASSERT_EQ(exec.elements.back().integer, kKeys) << "DBSIZE inside the EXEC, round " << round;
      acknowledged = round;
    }
    std::string raw;
    for (const auto& cmd : block(200)) raw += RespClient::Encode(cmd);
    ASSERT_TRUE(c.SendRaw(raw));
    loaded = acked_writes.load();
    server.Kill9();
    stop = true;
    load.join();
  }
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_GE(std::stoll(Str(c.Command({"GET", "load"}))), loaded);
  ASSERT_EQ(Str(c.Command({"SELECT", "1"})), "OK");
  ReplyValue keys = c.Command({"KEYS", "*"});
  ASSERT_EQ(keys.elements.size(), static_cast<size_t>(kKeys)) << keys.DebugString();
  const std::string first = Str(keys.elements[0]);
  const int round = std::stoi(first.substr(1, first.find(':') - 1));
  EXPECT_TRUE(round == acknowledged || round == acknowledged + 1)
      << "round " << round << ", last acknowledged " << acknowledged;
  for (const ReplyValue& k : keys.elements) {
    EXPECT_EQ(Str(k).substr(0, first.find(':') + 1), first.substr(0, first.find(':') + 1))
        << "keys of two rounds: a FLUSHDB half applied";
  }
}

}  // namespace
}  // namespace strata::testing
