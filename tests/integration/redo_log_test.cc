// The redo log and deferred writes (storage/redo_log.h, keyspace.h): values that reach RocksDB
// only at a checkpoint must survive kill -9 before, during and after checkpoints; readers that
// walk RocksDB (SCAN, KEYS, RANDOMKEY) must see them; a clean stop leaves nothing to replay;
// a torn last record is dropped and damage elsewhere stops the server with a clear message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

// These tests write enough to cross a 32 MB checkpoint threshold: they set it, since the
// default (checkpoint-log-size) is 64 MB.
const std::vector<std::string> kCheckpointAt32Mb = {"--checkpoint-log-size", "32mb"};

namespace fs = std::filesystem;

std::vector<fs::path> RedoFiles(const ServerProcess& server) {
  std::vector<fs::path> files;
  fs::path dir = fs::path(server.dir()) / "strata-data" / "redo";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".redo") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Writes 40 MB of strings under distinct keys (one key's values within a batch reach the log
// once), which starts a checkpoint, and waits until the log file that was current before them
// is deleted: from then on, what it held is only in RocksDB.
::testing::AssertionResult CheckpointPastTheCurrentLogFile(const ServerProcess& server,
                                                           RespClient& c) {
  std::vector<fs::path> files = RedoFiles(server);
  if (files.empty()) return ::testing::AssertionFailure() << "no redo log file";
  const fs::path current = files.back();
  for (int round = 0; round < 10; ++round) {
    std::vector<std::vector<std::string>> filler;
    for (int i = 0; i < 500; ++i) {
      filler.push_back({"SET", "filler:" + std::to_string(i), MakeValue(8192, round * 500 + i)});
    }
    for (const ReplyValue& r : c.Pipeline(filler)) {
      if (IsError(r)) return ::testing::AssertionFailure() << r.str;
    }
  }
  if (!PollUntil([&] { return !fs::exists(current); }, milliseconds(20000))) {
    return ::testing::AssertionFailure() << current << " is still there";
  }
  return ::testing::AssertionSuccess();
}

std::string Slot(int key, int version) {
  return MakeValue(8192, static_cast<uint64_t>(key) * 1000003 + static_cast<uint64_t>(version));
}

// Overwrites 64 keys of 8 KB many times (about 48 MB of log, past the 32 MB checkpoint
// threshold), INCRs a counter with each write, kills the server right after the last
// acknowledgement, and checks the latest value of everything.
TEST(RedoLog, OverwritesSurviveKill9AcrossCheckpoints) {
  for (const char* profile : {"queue", "session"}) {
    SCOPED_TRACE(profile);
    ServerProcess server(WithProfile(profile, kCheckpointAt32Mb));
    ASSERT_TRUE(server.Start());
    RespClient c(server.port());
    constexpr int kKeys = 64;
    constexpr int kVersions = 96;
    for (int v = 0; v < kVersions; ++v) {
      std::vector<std::vector<std::string>> cmds;
      for (int k = 0; k < kKeys; ++k) {
        cmds.push_back({"SET", "slot:" + std::to_string(k), Slot(k, v)});
        cmds.push_back({"INCR", "writes"});
      }
      for (const ReplyValue& r : c.Pipeline(cmds)) ASSERT_FALSE(IsError(r)) << r.str;
    }
    // At least one checkpoint has started a new log file by now.
    std::vector<fs::path> files = RedoFiles(server);
    ASSERT_FALSE(files.empty());
    EXPECT_NE(files.back().filename(), "0000000000000001.redo");
    server.Kill9();
    ASSERT_TRUE(server.Start());
    RespClient after(server.port());
    EXPECT_EQ(Str(after.Command({"GET", "writes"})), std::to_string(kKeys * kVersions));
    for (int k = 0; k < kKeys; ++k) {
      ReplyValue r = after.Command({"GET", "slot:" + std::to_string(k)});
      ASSERT_EQ(r.str, Slot(k, kVersions - 1)) << "slot " << k << " lost its latest value";
    }
    EXPECT_EQ(after.Command({"DBSIZE"}).integer, kKeys + 1);
    // Checkpoints retired the older log files: what a restart replays stays bounded.
    EXPECT_TRUE(PollUntil([&] { return RedoFiles(server).size() <= 2; }, milliseconds(10000)))
        << RedoFiles(server).size() << " redo files left";
  }
}

// Deferred values followed by deletes of every kind: the log must replay them in order.
TEST(RedoLog, DeletesAfterDeferredValuesSurviveKill9) {
  ServerProcess server(WithProfile("queue", kCheckpointAt32Mb));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    std::vector<std::vector<std::string>> cmds = {
        {"SET", "gone", "1"},
        {"INCR", "gone"},
        {"DEL", "gone"},
        {"SELECT", "1"},
        {"SET", "flushed", "1"},
        {"INCR", "flushed"},
        {"FLUSHDB"},
        {"SET", "after", "x"},
        {"SELECT", "2"},
        {"SET", "moved", "1"},
        {"INCR", "moved"},
        {"MOVE", "moved", "3"},
        {"SET", "renamed", "a"},
        {"APPEND", "renamed", "b"},
        {"RENAME", "renamed", "r2"},
        {"SET", "expiring", "v"},
        {"SET", "expiring", "w"},
        {"PEXPIRE", "expiring", "1"},
    };
    for (const ReplyValue& r : c.Pipeline(cmds)) ASSERT_FALSE(IsError(r)) << r.str;
    ASSERT_TRUE(PollUntil(
        [&] {
          return IsNil(c.Command({"GET", "expiring"}));
        },
        milliseconds(5000)));
  }
  server.Kill9();
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_TRUE(IsNil(c.Command({"GET", "gone"})));
  c.Command({"SELECT", "1"});
  EXPECT_TRUE(IsNil(c.Command({"GET", "flushed"})));
  EXPECT_EQ(Str(c.Command({"GET", "after"})), "x");
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, 1);
  c.Command({"SELECT", "2"});
  EXPECT_TRUE(IsNil(c.Command({"GET", "moved"})));
  EXPECT_TRUE(IsNil(c.Command({"GET", "renamed"})));
  EXPECT_EQ(Str(c.Command({"GET", "r2"})), "ab");
  EXPECT_TRUE(IsNil(c.Command({"GET", "expiring"})));
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, 1);
  c.Command({"SELECT", "3"});
  EXPECT_EQ(Str(c.Command({"GET", "moved"})), "2");
}

// Collections held whole reach RocksDB only at checkpoints, which write them a slice per
// batch. A model-checked mix over every type (adds, removes, pops, whole-key deletes and
// re-creations) writes about 80 MB of log, so several sliced checkpoints start, run while
// commands go on, and retire log files; the server is then killed wherever it is. Every
// acknowledged element must be back, and no deleted one.
TEST(RedoLog, CollectionsSurviveKill9AcrossSlicedCheckpoints) {
  for (const char* profile : {"queue", "session"}) {
    SCOPED_TRACE(profile);
    ServerProcess server(WithProfile(profile, kCheckpointAt32Mb));
    ASSERT_TRUE(server.Start());
    RespClient c(server.port());
    constexpr int kKeys = 40;  // of each type
    std::map<std::string, std::map<std::string, std::string>> hashes;
    std::map<std::string, std::set<std::string>> sets;
    std::map<std::string, std::map<std::string, int64_t>> zsets;
    std::map<std::string, std::deque<std::string>> lists;
    std::mt19937 rng(7);
    const std::string pad(160, 'p');
    for (int round = 0; round < 150; ++round) {
      std::vector<std::vector<std::string>> cmds;
      for (int i = 0; i < 2000; ++i) {
        const std::string k = std::to_string(rng() % kKeys);
        const std::string m = "m" + std::to_string(rng() % 200);
        const std::string v = pad + std::to_string(rng());
        switch (rng() % 9) {
          case 0:
          case 1:
            cmds.push_back({"HSET", "h:" + k, m, v});
            hashes["h:" + k][m] = v;
            break;
          case 2:
            cmds.push_back({"HDEL", "h:" + k, m});
            hashes["h:" + k].erase(m);
            break;
          case 3:
            cmds.push_back({"SADD", "s:" + k, m + pad});
            sets["s:" + k].insert(m + pad);
            break;
          case 4:
            cmds.push_back({"SREM", "s:" + k, m + pad});
            sets["s:" + k].erase(m + pad);
            break;
          case 5: {
            int64_t score = static_cast<int64_t>(rng() % 1000);
            cmds.push_back({"ZADD", "z:" + k, std::to_string(score), m + pad});
            zsets["z:" + k][m + pad] = score;
            break;
          }
          case 6:
            cmds.push_back({"RPUSH", "l:" + k, v});
            lists["l:" + k].push_back(v);
            break;
          case 7: {
            auto& l = lists["l:" + k];
            cmds.push_back({"LPOP", "l:" + k});
            if (!l.empty()) l.pop_front();
            break;
          }
          case 8:
            if (rng() % 20 == 0) {  // now and then a whole key goes, and comes back later
              cmds.push_back({"DEL", "h:" + k, "s:" + k, "z:" + k, "l:" + k});
              hashes.erase("h:" + k);
              sets.erase("s:" + k);
              zsets.erase("z:" + k);
              lists.erase("l:" + k);
            } else {
              cmds.push_back({"ZREM", "z:" + k, m + pad});
              zsets["z:" + k].erase(m + pad);
            }
            break;
        }
      }
      for (const ReplyValue& r : c.Pipeline(cmds)) ASSERT_FALSE(IsError(r)) << r.str;
    }
    // The churn rewrites every element many times over, which would hide a change that a
    // checkpoint failed to write. So: one more write to each key, which nothing touches
    // again, then 40 MB of strings, which starts another checkpoint; once the log file that
    // holds those writes is deleted, only RocksDB has them.
    std::vector<std::vector<std::string>> last;
    for (int i = 0; i < kKeys; ++i) {
      const std::string k = std::to_string(i);
      last.push_back({"HSET", "h:" + k, "last", "h" + k});
      hashes["h:" + k]["last"] = "h" + k;
      last.push_back({"SADD", "s:" + k, "last"});
      sets["s:" + k].insert("last");
      last.push_back({"ZADD", "z:" + k, "-1", "last"});
      zsets["z:" + k]["last"] = -1;
      last.push_back({"RPUSH", "l:" + k, "last"});
      lists["l:" + k].push_back("last");
    }
    for (const ReplyValue& r : c.Pipeline(last)) ASSERT_FALSE(IsError(r)) << r.str;
    ASSERT_TRUE(CheckpointPastTheCurrentLogFile(server, c));
    server.Kill9();
    ASSERT_TRUE(server.Start());
    RespClient after(server.port());
    for (int i = 0; i < kKeys; ++i) {
      const std::string k = std::to_string(i);
      std::map<std::string, std::string> h;
      ReplyValue r = after.Command({"HGETALL", "h:" + k});
      for (size_t j = 0; j + 1 < r.elements.size(); j += 2) {
        h[r.elements[j].str] = r.elements[j + 1].str;
      }
      std::map<std::string, std::string> want_h;
      if (hashes.count("h:" + k)) want_h = hashes["h:" + k];
      ASSERT_EQ(h, want_h) << "h:" << k;
      std::set<std::string> set;
      for (const ReplyValue& e : after.Command({"SMEMBERS", "s:" + k}).elements) set.insert(e.str);
      std::set<std::string> want_s;
      if (sets.count("s:" + k)) want_s = sets["s:" + k];
      ASSERT_EQ(set, want_s) << "s:" << k;
      std::map<std::string, int64_t> z;
      r = after.Command({"ZRANGE", "z:" + k, "0", "-1", "WITHSCORES"});
      for (size_t j = 0; j + 1 < r.elements.size(); j += 2) {
        z[r.elements[j].str] = std::stoll(r.elements[j + 1].str);
      }
      std::map<std::string, int64_t> want_z;
      if (zsets.count("z:" + k)) want_z = zsets["z:" + k];
      ASSERT_EQ(z, want_z) << "z:" << k;
      std::deque<std::string> l;
      for (const ReplyValue& e : after.Command({"LRANGE", "l:" + k, "0", "-1"}).elements) {
        l.push_back(e.str);
      }
      std::deque<std::string> want_l;
      if (lists.count("l:" + k)) want_l = lists["l:" + k];
      ASSERT_EQ(l, want_l) << "l:" << k;
    }
  }
}

// One busy hash: its changes between two checkpoints far exceed a slice, so the checkpoint
// writes them a part per batch while HSETs go on. Then kill -9 after the file holding the
// last writes was retired.
TEST(RedoLog, OneBigCollectionIsCheckpointedInPartsAndSurvivesKill9) {
  ServerProcess server(WithProfile("queue", kCheckpointAt32Mb));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  std::map<std::string, std::string> model;
  std::mt19937 rng(3);
  const std::string pad(300, 'v');
  for (int round = 0; round < 120; ++round) {
    std::vector<std::vector<std::string>> cmds;
    for (int i = 0; i < 2000; ++i) {
      const std::string f = "f" + std::to_string(rng() % 60000);
      if (rng() % 5 == 0) {
        cmds.push_back({"HDEL", "big", f});
        model.erase(f);
      } else {
        const std::string v = pad + std::to_string(rng());
        cmds.push_back({"HSET", "big", f, v});
        model[f] = v;
      }
    }
    for (const ReplyValue& r : c.Pipeline(cmds)) ASSERT_FALSE(IsError(r)) << r.str;
  }
  ASSERT_TRUE(CheckpointPastTheCurrentLogFile(server, c));
  server.Kill9();
  ASSERT_TRUE(server.Start());
  RespClient after(server.port());
  ReplyValue all = after.Command({"HGETALL", "big"});
  std::map<std::string, std::string> got;
  for (size_t j = 0; j + 1 < all.elements.size(); j += 2) {
    got[all.elements[j].str] = all.elements[j + 1].str;
  }
  ASSERT_EQ(got.size(), model.size());
  EXPECT_TRUE(got == model);
}

int64_t Checkpoints(RespClient& c) {
  return std::stoll(InfoField(c, "persistence", "strata_checkpoints"));
}

// A server that has gone quiet checkpoints once its log holds a quarter of
// checkpoint-log-size, so that the next burst of writes does not pay for this one's. Keys
// with a TTL are written through, not deferred: neither the 10-second timer (it needs deferred
// values) nor the log's size (1.6 MB of 4 MB) can start this checkpoint; only idleness can.
TEST(RedoLog, AnIdleServerCheckpointsWhatItsLogHolds) {
  ServerProcess server(WithProfile("queue", {"--checkpoint-log-size", "4mb"}));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  const int64_t before = Checkpoints(c);
  const std::vector<fs::path> files = RedoFiles(server);
  ASSERT_EQ(files.size(), 1u);
  std::vector<std::vector<std::string>> cmds;
  for (int i = 0; i < 200; ++i) {
    cmds.push_back({"SET", "ttl:" + std::to_string(i), MakeValue(8192, i), "EX", "100000"});
  }
  for (const ReplyValue& r : c.Pipeline(cmds)) ASSERT_FALSE(IsError(r)) << r.str;
  EXPECT_TRUE(PollUntil([&] { return Checkpoints(c) > before; }, milliseconds(20000)))
      << "no checkpoint while idle";
  EXPECT_TRUE(PollUntil([&] { return !fs::exists(files.front()); }, milliseconds(20000)))
      << files.front() << " is still there";
  // Once done, an idle server does not checkpoint again and again (each would start a new log
  // file): over the next two seconds of uptime (20 runs of the timer), nothing more.
  const int64_t done = Checkpoints(c);
  const std::vector<fs::path> after_checkpoint = RedoFiles(server);
  const int64_t up = std::stoll(InfoField(c, "server", "uptime_in_seconds"));
  ASSERT_TRUE(
      PollUntil([&] { return std::stoll(InfoField(c, "server", "uptime_in_seconds")) >= up + 2; },
                milliseconds(10000)));
  EXPECT_EQ(Checkpoints(c), done);
  EXPECT_EQ(RedoFiles(server), after_checkpoint);
  server.Kill9();
  ASSERT_TRUE(server.Start());
  RespClient after(server.port());
  EXPECT_EQ(after.Command({"DBSIZE"}).integer, 200);
  EXPECT_EQ(Str(after.Command({"GET", "ttl:199"})), MakeValue(8192, 199));
  EXPECT_GT(after.Command({"TTL", "ttl:0"}).integer, 99000);
}

// A checkpoint under a client that never pauses: client batches carry its slices (a share of
// what is left for the log bytes they add), so it ends, and the log that a restart replays
// stays bounded, however long the writes go on.
TEST(RedoLog, CheckpointsEndWhileAClientKeepsWriting) {
  ServerProcess server(WithProfile("session", {"--checkpoint-log-size", "2mb"}));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  const int64_t before = Checkpoints(c);
  uint64_t largest_log = 0;
  for (int round = 0; round < 100; ++round) {  // 400 KB of log per round, 40 MB in all
    std::vector<std::vector<std::string>> cmds;
    for (int i = 0; i < 400; ++i) {
      cmds.push_back({"SET", "k:" + std::to_string(round * 400 + i), MakeValue(1000, i)});
    }
    cmds.push_back({"INFO", "persistence"});
    std::vector<ReplyValue> replies = c.Pipeline(cmds);
    for (const ReplyValue& r : replies) ASSERT_FALSE(IsError(r)) << r.str;
    const auto info = ParseInfo(replies.back().str);
    largest_log = std::max<uint64_t>(largest_log, std::stoull(info.at("strata_redo_log_bytes")));
  }
  EXPECT_GE(Checkpoints(c) - before, 5);
  EXPECT_LT(largest_log, 4u << 20) << "a checkpoint outlasted two log files' worth of writes";
  server.Kill9();
  ASSERT_TRUE(server.Start());
  RespClient after(server.port());
  EXPECT_EQ(after.Command({"DBSIZE"}).integer, 40000);
  EXPECT_EQ(Str(after.Command({"GET", "k:39999"})), MakeValue(1000, 399));
}

// The edges of deferral, under a maxmemory small enough (2mb: collections past 2,048 elements
// leave memory) that they are crossed: a hash that outgrows memory while its changes are
// deferred, COPY, RENAME and MOVE of collections with deferred changes, FLUSHDB of a database
// holding some, SWAPDB. Then a checkpoint and kill -9.
TEST(RedoLog, DeferredChangesSurviveCopyRenameMoveFlushAndGrowth) {
  ServerProcess server(
      WithProfile("queue", {"--maxmemory", "2mb", "--checkpoint-log-size", "32mb"}));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  auto ok = [&](const std::vector<std::vector<std::string>>& cmds) {
    for (const ReplyValue& r : c.Pipeline(cmds)) {
      if (IsError(r)) return ::testing::AssertionFailure() << r.str;
    }
    return ::testing::AssertionSuccess();
  };
  std::vector<std::vector<std::string>> cmds;
  for (int i = 0; i < 3000; ++i) {  // grows past what memory holds, 100 fields a command
    if (i % 100 == 0) cmds.push_back({"HSET", "grow"});
    cmds.back().push_back("f" + std::to_string(i));
    cmds.back().push_back("v" + std::to_string(i));
  }
  for (int i = 0; i < 300; ++i) cmds.push_back({"SADD", "src", "m" + std::to_string(i)});
  for (int i = 0; i < 200; ++i) {
    cmds.push_back({"ZADD", "mv", std::to_string(i), "z" + std::to_string(i)});
  }
  cmds.push_back({"COPY", "src", "copied"});
  cmds.push_back({"RENAME", "src", "renamed"});
  cmds.push_back({"SADD", "renamed", "after-rename"});
  cmds.push_back({"SREM", "copied", "m0"});
  cmds.push_back({"MOVE", "mv", "1"});
  cmds.push_back({"SELECT", "2"});
  for (int i = 0; i < 500; ++i) cmds.push_back({"RPUSH", "gone", "e" + std::to_string(i)});
  cmds.push_back({"FLUSHDB"});
  cmds.push_back({"RPUSH", "gone", "x", "y"});
  cmds.push_back({"SELECT", "3"});
  for (int i = 0; i < 100; ++i) cmds.push_back({"HSET", "swapped", "f" + std::to_string(i), "v"});
  cmds.push_back({"SWAPDB", "3", "4"});
  cmds.push_back({"SELECT", "4"});
  cmds.push_back({"HDEL", "swapped", "f0"});
  cmds.push_back({"SELECT", "0"});
  ASSERT_TRUE(ok(cmds));
  ASSERT_TRUE(CheckpointPastTheCurrentLogFile(server, c));
  server.Kill9();
  ASSERT_TRUE(server.Start());
  RespClient a(server.port());
  EXPECT_EQ(a.Command({"HLEN", "grow"}).integer, 3000);
  EXPECT_EQ(Str(a.Command({"HGET", "grow", "f2999"})), "v2999");
  EXPECT_EQ(Str(a.Command({"HGET", "grow", "f0"})), "v0");
  EXPECT_EQ(a.Command({"EXISTS", "src"}).integer, 0);
  EXPECT_EQ(a.Command({"SCARD", "renamed"}).integer, 301);
  EXPECT_EQ(a.Command({"SISMEMBER", "renamed", "m299"}).integer, 1);
  EXPECT_EQ(a.Command({"SCARD", "copied"}).integer, 299);
  EXPECT_EQ(a.Command({"SISMEMBER", "copied", "m0"}).integer, 0);
  EXPECT_EQ(a.Command({"SISMEMBER", "copied", "m1"}).integer, 1);
  EXPECT_EQ(a.Command({"EXISTS", "mv"}).integer, 0);
  a.Command({"SELECT", "1"});
  EXPECT_EQ(a.Command({"ZCARD", "mv"}).integer, 200);
  EXPECT_EQ(Str(a.Command({"ZSCORE", "mv", "z150"})), "150");
  a.Command({"SELECT", "2"});
  ReplyValue gone = a.Command({"LRANGE", "gone", "0", "-1"});
  ASSERT_EQ(gone.elements.size(), 2u) << gone.DebugString();
  EXPECT_EQ(gone.elements[0].str, "x");
  a.Command({"SELECT", "3"});
  EXPECT_EQ(a.Command({"EXISTS", "swapped"}).integer, 0);
  a.Command({"SELECT", "4"});
  EXPECT_EQ(a.Command({"HLEN", "swapped"}).integer, 99);
  EXPECT_EQ(Str(a.Command({"HGET", "swapped", "f99"})), "v");
}

// The same for streams, whose entries, groups and pending entries are deferred alike: a
// producer (XADD with explicit IDs, so the model knows them), a consumer group reading and
// acknowledging, XDEL, XTRIM and whole-stream deletes; then kill -9 once a checkpoint has
// retired the log file holding the last writes.
TEST(RedoLog, StreamsSurviveKill9AcrossSlicedCheckpoints) {
  struct Model {
    bool exists = false;
    std::map<uint64_t, std::string> entries;  // ID ms (seq 0) -> value
    uint64_t next_id = 1;
    uint64_t last_delivered = 0;
    std::set<uint64_t> pending;
  };
  for (const char* profile : {"queue", "session"}) {
    SCOPED_TRACE(profile);
    ServerProcess server(WithProfile(profile, kCheckpointAt32Mb));
    ASSERT_TRUE(server.Start());
    RespClient c(server.port());
    constexpr int kKeys = 20;
    std::vector<Model> streams(kKeys);
    std::mt19937 rng(5);
    const std::string pad(120, 'x');
    auto id = [](uint64_t ms) { return std::to_string(ms) + "-0"; };
    auto touch = [&](int k, std::vector<std::vector<std::string>>* cmds) {
      Model& m = streams[k];
      if (m.exists) return;
      cmds->push_back({"XGROUP", "CREATE", "x:" + std::to_string(k), "g", "0", "MKSTREAM"});
      m = Model{};
      m.exists = true;
    };
    auto add = [&](int k, std::vector<std::vector<std::string>>* cmds) {
      touch(k, cmds);
      Model& m = streams[k];
      const uint64_t ms = m.next_id++;
      const std::string v = pad + std::to_string(rng());
      cmds->push_back({"XADD", "x:" + std::to_string(k), id(ms), "f", v});
      m.entries[ms] = v;
    };
    for (int round = 0; round < 100; ++round) {
      std::vector<std::vector<std::string>> cmds;
      for (int i = 0; i < 2000; ++i) {
        const int k = static_cast<int>(rng() % kKeys);
        const std::string key = "x:" + std::to_string(k);
        Model& m = streams[k];
        switch (rng() % 8) {
          case 0:
          case 1:
          case 2:
            add(k, &cmds);
            break;
          case 3: {  // the consumer reads up to 5 new entries
            touch(k, &cmds);
            cmds.push_back({"XREADGROUP", "GROUP", "g", "c", "COUNT", "5", "STREAMS", key, ">"});
            int n = 0;
            for (auto it = m.entries.upper_bound(m.last_delivered); it != m.entries.end() && n < 5;
                 ++it, ++n) {
              m.pending.insert(it->first);
              m.last_delivered = it->first;
            }
            break;
          }
          case 4:
          case 5:
            if (!m.pending.empty()) {  // acknowledges its oldest pending entry
              cmds.push_back({"XACK", key, "g", id(*m.pending.begin())});
              m.pending.erase(m.pending.begin());
            }
            break;
          case 6:
            if (!m.entries.empty()) {
              auto it = m.entries.begin();
              std::advance(it, static_cast<long>(rng() % m.entries.size()));
              cmds.push_back({"XDEL", key, id(it->first)});
              m.entries.erase(it);
            }
            break;
          case 7:
            if (rng() % 40 == 0) {
              cmds.push_back({"DEL", key});
              m = Model{};
            } else if (m.exists && m.entries.size() > 150) {
              cmds.push_back({"XTRIM", key, "MAXLEN", "100"});
              while (m.entries.size() > 100) m.entries.erase(m.entries.begin());
            }
            break;
        }
      }
      for (const ReplyValue& r : c.Pipeline(cmds)) ASSERT_FALSE(IsError(r)) << r.str;
    }
    std::vector<std::vector<std::string>> last;
    for (int k = 0; k < kKeys; ++k) add(k, &last);
    for (const ReplyValue& r : c.Pipeline(last)) ASSERT_FALSE(IsError(r)) << r.str;
    ASSERT_TRUE(CheckpointPastTheCurrentLogFile(server, c));
    server.Kill9();
    ASSERT_TRUE(server.Start());
    RespClient after(server.port());
    for (int k = 0; k < kKeys; ++k) {
      const std::string key = "x:" + std::to_string(k);
      const Model& m = streams[k];
      ASSERT_EQ(after.Command({"EXISTS", key}).integer, m.exists ? 1 : 0) << key;
      std::map<uint64_t, std::string> entries;
      for (const ReplyValue& e : after.Command({"XRANGE", key, "-", "+"}).elements) {
        ASSERT_EQ(e.elements.size(), 2u) << e.DebugString();
        entries[std::stoull(e.elements[0].str)] = e.elements[1].elements.at(1).str;
      }
      ASSERT_EQ(entries, m.entries) << key;
      if (!m.exists) continue;
      std::set<uint64_t> pending;
      for (const ReplyValue& p :
           after.Command({"XPENDING", key, "g", "-", "+", "1000000"}).elements) {
        pending.insert(std::stoull(p.elements.at(0).str));
      }
      ASSERT_EQ(pending, m.pending) << key;
      // The group goes on where it was: the next read starts after its last-delivered ID.
      ReplyValue next =
          after.Command({"XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", key, ">"});
      auto first_new = m.entries.upper_bound(m.last_delivered);
      if (first_new == m.entries.end()) {
        EXPECT_TRUE(IsNil(next)) << key << ": " << next.DebugString();
      } else {
        ASSERT_EQ(next.elements.size(), 1u) << next.DebugString();
        EXPECT_EQ(next.elements[0].elements.at(1).elements.at(0).elements.at(0).str,
                  id(first_new->first))
            << key;
      }
    }
  }
}

TEST(RedoLog, ScanKeysAndRandomKeySeeKeysNotYetInRocksDb) {
  ServerProcess server(WithProfile("session", kCheckpointAt32Mb));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_TRUE(IsNil(c.Command({"RANDOMKEY"})));
  std::vector<std::vector<std::string>> cmds;
  std::set<std::string> want;
  for (int i = 0; i < 500; ++i) {
    std::string key = "fresh:" + std::to_string(i);
    want.insert(key);
    cmds.push_back({"SET", key, "v"});
  }
  for (const ReplyValue& r : c.Pipeline(cmds)) ASSERT_EQ(Str(r), "OK");
  EXPECT_FALSE(IsNil(c.Command({"RANDOMKEY"})));
  std::set<std::string> seen;
  std::string cursor = "0";
  do {
    ReplyValue r = c.Command({"SCAN", cursor, "COUNT", "100"});
    ASSERT_EQ(r.elements.size(), 2u) << r.DebugString();
    cursor = r.elements[0].str;
    for (const ReplyValue& k : r.elements[1].elements) seen.insert(k.str);
  } while (cursor != "0");
  EXPECT_EQ(seen, want);
  EXPECT_EQ(c.Command({"KEYS", "fresh:*"}).elements.size(), 500u);
  EXPECT_EQ(c.Command({"SCAN", "0", "COUNT", "1000", "TYPE", "string"}).elements[1].elements.size(),
            500u);
}

TEST(RedoLog, ACleanStopLeavesNothingToReplay) {
  ServerProcess server(WithProfile("queue", kCheckpointAt32Mb));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    for (int i = 0; i < 100; ++i) c.Command({"INCR", "n"});
    EXPECT_EQ(Str(c.Command({"SAVE"})), "OK");
    EXPECT_TRUE(PollUntil([&] { return RedoFiles(server).size() == 1; }, milliseconds(10000)))
        << "SAVE is a checkpoint: only the new, current log file remains";
    c.Command({"INCR", "n"});
  }
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_TRUE(RedoFiles(server).empty()) << RedoFiles(server).size() << " files left";
  ASSERT_TRUE(server.Start());
  RespClient after(server.port());
  EXPECT_EQ(Str(after.Command({"GET", "n"})), "101");
}

TEST(RedoLog, ATornLastRecordIsDroppedAndTheRestKept) {
  ServerProcess server(WithProfile("queue", kCheckpointAt32Mb));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    for (int i = 0; i < 50; ++i) ASSERT_EQ(c.Command({"INCR", "n"}).integer, i + 1);
  }
  server.Kill9();
  std::vector<fs::path> files = RedoFiles(server);
  ASSERT_FALSE(files.empty());
  {
    // What a crash in the middle of an append leaves: a header and part of a payload.
    std::ofstream f(files.back(), std::ios::binary | std::ios::app);
    f << std::string("\x00\x00\x10\x00\xde\xad\xbe\xefhalf a rec", 18);
  }
  ASSERT_TRUE(server.Start());
  RespClient after(server.port());
  EXPECT_EQ(Str(after.Command({"GET", "n"})), "50");
  EXPECT_THAT(server.LogText(), ::testing::HasSubstr("dropped a torn last record"));
}

TEST(RedoLog, DamageBeforeTheLastFileStopsStartupWithTheFileName) {
  ServerOptions options = WithProfile("queue");
  options.start_timeout = milliseconds(5000);
  ServerProcess server(options);
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    ASSERT_EQ(Str(c.Command({"SET", "k", "v"})), "OK");
  }
  server.Kill9();
  std::vector<fs::path> files = RedoFiles(server);
  ASSERT_EQ(files.size(), 1u);
  {
    std::ofstream f(files.back(), std::ios::binary | std::ios::app);
    f << "not a record, and a newer file follows";
  }
  // A newer file (as a checkpoint would have started): the damage is no longer a torn tail.
  fs::path newer = files.back();
  newer.replace_filename("7fffffffffffffff.redo");
  {
    std::ofstream f(newer, std::ios::binary);
    f << std::string("strata-redo-v1\n\0", 16);
  }
  EXPECT_FALSE(server.Start());
  EXPECT_THAT(server.LogText(), ::testing::HasSubstr(files.back().filename().string()));
  EXPECT_THAT(server.LogText(), ::testing::HasSubstr("refusing to guess"));
}

}  // namespace
}  // namespace strata::testing
