// Every acknowledged write survives kill -9 in the durable profiles. The server is killed the
// moment the last reply of a pipeline has been read, so a server that acknowledges before its
// write reached the WAL (queue: before the fsync; session: before the write() to the OS) loses
// keys here.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

constexpr int kWritesPerRound = 200;
// A TTL far enough in the future that it cannot run out during the test.
constexpr int64_t kTtlMs = 50'000'000;
// How far PTTL may sit below what the elapsed time explains: rounding and clock reads.
constexpr int64_t kTtlSlackMs = 2000;

std::string ValueKey(int round, int i) {
  return "r" + std::to_string(round) + ":v:" + std::to_string(i);
}
std::string TtlKey(int round, int i) {
  return "r" + std::to_string(round) + ":t:" + std::to_string(i);
}
std::string ValueFor(int round, int i) {
  // Sizes vary from a few bytes to ~4 KB so that small and large WAL records are both covered.
  return MakeValue(1 + static_cast<size_t>((round * 7919 + i * 104729) % 4096), round * 1000 + i);
}

struct Round {
  int number;
  int64_t written_at_ms;  // wall clock just before the pipeline was sent
};

// Sends one pipeline of SET / INCR / SET PX writes and checks every acknowledgement.
void WriteRound(RespClient& c, Round round) {
  std::vector<std::vector<std::string>> cmds;
  cmds.reserve(kWritesPerRound * 3);
  for (int i = 0; i < kWritesPerRound; ++i) {
    cmds.push_back({"SET", ValueKey(round.number, i), ValueFor(round.number, i)});
    cmds.push_back({"INCR", "counter"});
    cmds.push_back({"SET", TtlKey(round.number, i), "ttl", "PX", std::to_string(kTtlMs)});
  }
  std::vector<ReplyValue> replies = c.Pipeline(cmds);
  ASSERT_EQ(replies.size(), cmds.size());
  for (size_t i = 0; i < replies.size(); ++i) {
    ASSERT_FALSE(IsError(replies[i])) << "write " << i << ": " << replies[i].str;
  }
}

// Reads back every key written in rounds [0, rounds.size()) and the counter.
void VerifyRounds(RespClient& c, const std::vector<Round>& rounds, const std::string& when) {
  for (const Round& round : rounds) {
    std::vector<std::vector<std::string>> cmds;
    for (int i = 0; i < kWritesPerRound; ++i) {
      cmds.push_back({"GET", ValueKey(round.number, i)});
      cmds.push_back({"PTTL", TtlKey(round.number, i)});
    }
    std::vector<ReplyValue> replies = c.Pipeline(cmds);
    ASSERT_EQ(replies.size(), cmds.size());
    int64_t elapsed = UnixMillis() - round.written_at_ms;
    int lost = 0;
    for (int i = 0; i < kWritesPerRound; ++i) {
      const ReplyValue& value = replies[2 * i];
      const ReplyValue& pttl = replies[2 * i + 1];
      if (IsNil(value)) {
        ++lost;
        continue;
      }
      EXPECT_EQ(value.str, ValueFor(round.number, i))
          << when << ": round " << round.number << " key " << i << " has a wrong value";
      ASSERT_EQ(pttl.type, ReplyValue::Type::kInteger) << pttl.DebugString();
      EXPECT_LE(pttl.integer, kTtlMs)
          << when << ": TTL grew (reset?) for " << TtlKey(round.number, i);
      EXPECT_GE(pttl.integer, kTtlMs - elapsed - kTtlSlackMs)
          << when << ": TTL shrank more than the elapsed time for " << TtlKey(round.number, i)
          << " (-2 = key lost, -1 = TTL lost)";
    }
    EXPECT_EQ(lost, 0) << when << ": round " << round.number << " lost " << lost << " of "
                       << kWritesPerRound << " acknowledged SETs";
  }
  ReplyValue counter = c.Command({"GET", "counter"});
  EXPECT_EQ(Str(counter), std::to_string(rounds.size() * kWritesPerRound))
      << when << ": acknowledged INCRs were lost";
}

void RunKillRounds(const char* profile, int rounds) {
  ServerProcess server(WithProfile(profile));
  ASSERT_TRUE(server.Start());
  std::vector<Round> done;
  for (int r = 0; r < rounds; ++r) {
    {
      RespClient c(server.port());
      ASSERT_TRUE(c.connected()) << c.last_error();
      Round round{r, UnixMillis()};
      WriteRound(c, round);
      server.Kill9();  // right after the last acknowledgement was read
      done.push_back(round);
    }
    ASSERT_TRUE(server.Start()) << "restart after kill -9 in round " << r;
    RespClient c(server.port());
    ASSERT_NO_FATAL_FAILURE(VerifyRounds(c, done, "after kill -9 #" + std::to_string(r + 1)));
    if (::testing::Test::HasFailure()) return;  // one report of the first lossy round is enough
  }
}

TEST(Durability, QueueProfileKeepsEveryAcknowledgedWriteAcrossKill9) { RunKillRounds("queue", 20); }

TEST(Durability, SessionProfileKeepsEveryAcknowledgedWriteAcrossKill9) {
  // everysec may lose writes on a machine crash, never on a process crash: the WAL write to
  // the OS happens before the reply.
  RunKillRounds("session", 5);
}

TEST(Durability, DeletesExpiresAndOverwritesSurviveKill9) {
  ServerProcess server(WithProfile("queue"));
  ASSERT_TRUE(server.Start());
  int64_t far = UnixMillis() / 1000 + 100'000;
  {
    RespClient c(server.port());
    std::vector<ReplyValue> replies = c.Pipeline({
        {"SET", "deleted", "x"},
        {"DEL", "deleted"},
        {"SET", "unlinked", "x"},
        {"UNLINK", "unlinked"},
        {"SET", "appended", "ab"},
        {"APPEND", "appended", "cd"},
        {"SET", "ranged", "hello world"},
        {"SETRANGE", "ranged", "6", "WORLD"},
        {"SET", "made-persistent", "v", "EX", "100"},
        {"PERSIST", "made-persistent"},
        {"SET", "given-ttl", "v"},
        {"EXPIREAT", "given-ttl", std::to_string(far)},
        {"SET", "renamed-from", "moved"},
        {"RENAME", "renamed-from", "renamed-to"},
        {"MSET", "m1", "one", "m2", "two"},
        {"INCRBYFLOAT", "float", "1.5"},
        {"GETDEL", "m2"},
        {"SELECT", "5"},
        {"SET", "db5", "five"},
    });
    ASSERT_EQ(replies.size(), 19u);
    for (const auto& r : replies) ASSERT_FALSE(IsError(r)) << r.str;
  }
  ASSERT_TRUE(server.CrashAndRestart());
  RespClient c(server.port());
  EXPECT_EQ(c.Command({"EXISTS", "deleted", "unlinked", "renamed-from", "m2"}).integer, 0);
  EXPECT_EQ(Str(c.Command({"GET", "appended"})), "abcd");
  EXPECT_EQ(Str(c.Command({"GET", "ranged"})), "hello WORLD");
  EXPECT_EQ(c.Command({"TTL", "made-persistent"}).integer, -1);
  EXPECT_EQ(c.Command({"EXPIRETIME", "given-ttl"}).integer, far);
  EXPECT_EQ(Str(c.Command({"GET", "renamed-to"})), "moved");
  EXPECT_EQ(Str(c.Command({"GET", "m1"})), "one");
  EXPECT_EQ(Str(c.Command({"GET", "float"})), "1.5");
  EXPECT_EQ(Str(c.Command({"SELECT", "5"})), "OK");
  EXPECT_EQ(Str(c.Command({"GET", "db5"})), "five");
}

TEST(Durability, ConcurrentClientsAllKeepTheirWritesAcrossKill9) {
  ServerProcess server(WithProfile("queue"));
  ASSERT_TRUE(server.Start());
  constexpr int kClients = 8;
  constexpr int kEach = 100;
  {
    // Each client pipelines its writes; the server sees them interleaved. Replies are read
    // from all clients before the kill.
    std::vector<std::unique_ptr<RespClient>> clients;
    for (int n = 0; n < kClients; ++n) {
      clients.push_back(std::make_unique<RespClient>(server.port()));
      std::string out;
      for (int i = 0; i < kEach; ++i) {
        out += RespClient::Encode({"SET", "c" + std::to_string(n) + ":" + std::to_string(i),
                                   std::to_string(n * 1000 + i)});
      }
      ASSERT_TRUE(clients.back()->SendRaw(out));
    }
    for (auto& client : clients) {
      for (int i = 0; i < kEach; ++i) {
        auto reply = client->ReadReply();
        ASSERT_TRUE(reply.has_value()) << client->last_error();
        ASSERT_EQ(Str(*reply), "OK");
      }
    }
    server.Kill9();
  }
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, kClients * kEach);
  for (int n = 0; n < kClients; ++n) {
    for (int i = 0; i < kEach; i += 17) {
      EXPECT_EQ(Str(c.Command({"GET", "c" + std::to_string(n) + ":" + std::to_string(i)})),
                std::to_string(n * 1000 + i));
    }
  }
}

// Clients that each wait for their reply before sending the next write (redis-benchmark -P 1,
// a job queue's workers): under appendfsync always, writes that arrive together share one
// fsync, so there are fewer syncs than writes; and every write is still there after kill -9.
TEST(Durability, ConcurrentSingleWritesShareSyncsAndSurviveKill9) {
  ServerProcess server(WithProfile("queue"));
  ASSERT_TRUE(server.Start());
  constexpr int kClients = 32;
  constexpr int kEach = 40;
  {
    RespClient admin(server.port());
    uint64_t syncs_before = std::stoull(InfoField(admin, "persistence", "strata_wal_syncs"));
    std::atomic<int> acknowledged{0};
    std::vector<std::thread> threads;
    for (int n = 0; n < kClients; ++n) {
      threads.emplace_back([&, n] {
        RespClient c(server.port());
        for (int i = 0; i < kEach; ++i) {
          ReplyValue r = c.Command({"INCR", "counter:" + std::to_string(n)});
          if (r.integer == i + 1) acknowledged.fetch_add(1);
        }
      });
    }
    for (auto& t : threads) t.join();
    ASSERT_EQ(acknowledged.load(), kClients * kEach);
    uint64_t syncs =
        std::stoull(InfoField(admin, "persistence", "strata_wal_syncs")) - syncs_before;
    EXPECT_GE(syncs, 1u);
    EXPECT_LT(syncs, static_cast<uint64_t>(kClients * kEach)) << "no write shared a sync";
    server.Kill9();
  }
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  for (int n = 0; n < kClients; ++n) {
    EXPECT_EQ(Str(c.Command({"GET", "counter:" + std::to_string(n)})), std::to_string(kEach));
  }
}

// CONFIG SET appendfsync moves the server between committing on its event loop (always) and
// on the writer thread (everysec); switching while clients write loses no reply and no write.
// appendfsync everysec means the log is synced about once a second even when writes never
// pause: a writer busy with one batch after another must not put the sync off until the load
// stops (syncs run on a thread of their own). Two clients keep pipelines of writes going
// while a third watches the sync count.
TEST(Durability, EverysecSyncsWhileWritesNeverPause) {
  ServerProcess server(WithProfile("session"));
  ASSERT_TRUE(server.Start());
  RespClient admin(server.port());
  ASSERT_EQ(Str(admin.Command({"CONFIG", "GET", "appendfsync"}).elements.at(1)), "everysec");
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      RespClient c(server.port());
      std::vector<std::vector<std::string>> cmds;
      for (int i = 0; i < 256; ++i) {
        cmds.push_back({"SET", "load:" + std::to_string(w) + ":" + std::to_string(i),
                        MakeValue(512, static_cast<uint64_t>(i))});
      }
      while (!stop.load()) c.Pipeline(cmds);
    });
  }
  // Load is running once the first writes are counted.
  ASSERT_TRUE(PollUntil([&] { return admin.Command({"DBSIZE"}).integer > 0; }, milliseconds(5000)));
  const uint64_t before = std::stoull(InfoField(admin, "persistence", "strata_wal_syncs"));
  const bool synced = PollUntil(
      [&] {
        return std::stoull(InfoField(admin, "persistence", "strata_wal_syncs")) >= before + 2;
      },
      milliseconds(10000), milliseconds(100));
  stop = true;
  for (std::thread& t : writers) t.join();
  EXPECT_TRUE(synced) << "no sync while the writes went on";
}

TEST(Durability, SwitchingAppendfsyncUnderLoadAnswersEveryWrite) {
  ServerProcess server(WithProfile("queue"));
  ASSERT_TRUE(server.Start());
  constexpr int kClients = 8;
  constexpr int kEach = 300;
  std::atomic<bool> done{false};
  std::atomic<int> acknowledged{0};
  std::vector<std::thread> threads;
  for (int n = 0; n < kClients; ++n) {
    threads.emplace_back([&, n] {
      RespClient c(server.port());
      for (int i = 0; i < kEach; ++i) {
        // Pairs of pipelined writes, so a switch can fall between a batch's two commands.
        auto replies = c.Pipeline({{"RPUSH", "list:" + std::to_string(n), std::to_string(i)},
                                   {"INCR", "n:" + std::to_string(n)}});
        if (replies.size() == 2 && replies[0].integer == i + 1 && replies[1].integer == i + 1) {
          acknowledged.fetch_add(1);
        }
      }
    });
  }
  RespClient admin(server.port());
  for (int flip = 0; !done.load(); ++flip) {
    EXPECT_EQ(
        Str(admin.Command({"CONFIG", "SET", "appendfsync", flip % 2 == 0 ? "everysec" : "always"})),
        "OK");
    if (acknowledged.load() == kClients * kEach) done = true;
    if (flip > 200000) break;  // the writers are stuck: fail below instead of hanging
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(acknowledged.load(), kClients * kEach);
  EXPECT_EQ(Str(admin.Command({"CONFIG", "SET", "appendfsync", "always"})), "OK");
  EXPECT_EQ(Str(admin.Command({"SET", "last", "write"})), "OK");
  server.Kill9();
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  for (int n = 0; n < kClients; ++n) {
    EXPECT_EQ(c.Command({"LLEN", "list:" + std::to_string(n)}).integer, kEach);
    EXPECT_EQ(Str(c.Command({"GET", "n:" + std::to_string(n)})), std::to_string(kEach));
  }
  EXPECT_EQ(Str(c.Command({"GET", "last"})), "write");
}

}  // namespace
}  // namespace strata::testing
