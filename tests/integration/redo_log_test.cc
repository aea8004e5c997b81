// The redo log and deferred writes (storage/redo_log.h, keyspace.h): values that reach RocksDB
// only at a checkpoint must survive kill -9 before, during and after checkpoints; readers that
// walk RocksDB (SCAN, KEYS, RANDOMKEY) must see them; a clean stop leaves nothing to replay;
// a torn last record is dropped and damage elsewhere stops the server with a clear message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

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

std::string Slot(int key, int version) {
  return MakeValue(8192, static_cast<uint64_t>(key) * 1000003 + static_cast<uint64_t>(version));
}

// Overwrites 64 keys of 8 KB many times (about 48 MB of log, past the 32 MB checkpoint
// threshold), INCRs a counter with each write, kills the server right after the last
// acknowledgement, and checks the latest value of everything.
TEST(RedoLog, OverwritesSurviveKill9AcrossCheckpoints) {
  for (const char* profile : {"queue", "session"}) {
    SCOPED_TRACE(profile);
    ServerProcess server(WithProfile(profile));
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
  ServerProcess server(WithProfile("queue"));
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

TEST(RedoLog, ScanKeysAndRandomKeySeeKeysNotYetInRocksDb) {
  ServerProcess server(WithProfile("session"));
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
  ServerProcess server(WithProfile("queue"));
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
  ServerProcess server(WithProfile("queue"));
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
