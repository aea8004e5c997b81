// maxmemory as a user sees it: the cache profile evicts and stays within its budget (INFO and
// the process's RSS agree); noeviction answers Redis's exact OOM error; the session profile
// evicts only the memory copy, so every key still reads back, also after a restart.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/server_harness.h"

namespace strata::testing {
namespace {

constexpr int64_t kMaxMemory = 20ll * 1024 * 1024;  // "20mb" in redis.conf units is 20 MiB
constexpr int kKeys = 20'000;
constexpr size_t kValueSize = 10 * 1024;  // 20,000 x 10 KB = 200 MB written
constexpr int kBatch = 200;               // commands per pipelined write (2 MB)

// used_memory may pass maxmemory by a little, as in Redis: eviction runs before a command, so
// right after it the command's own value, the clients' query and reply buffers and allocator
// rounding are on top. 10% of 20 MB (2 MB) holds all of that for one client writing 10 KB values
// in 2 MB pipelines; a server that evicts late or miscounts its keys is far above it.
constexpr int64_t kUsedMemoryCeiling = kMaxMemory + kMaxMemory / 10;
// RSS also holds code, stacks, allocator caches and the 2 MB input buffer; 120 MB is six times
// the budget and still far below the 200 MB written, so a server that never really frees
// evicted values (or keeps them elsewhere) fails.
constexpr int64_t kRssCeiling = 120ll * 1024 * 1024;

std::string Key(int i) { return "key:" + std::to_string(i); }
std::string Value(int i) { return MakeValue(kValueSize, static_cast<uint64_t>(i)); }

int64_t UsedMemory(RespClient& c) {
  std::string v = InfoField(c, "memory", "used_memory");
  return v.empty() ? -1 : std::stoll(v);
}

// Writes keys [0, kKeys) in pipelined batches; every reply must be +OK.
void WriteAll(RespClient& c) {
  for (int start = 0; start < kKeys; start += kBatch) {
    std::vector<std::vector<std::string>> cmds;
    for (int i = start; i < start + kBatch && i < kKeys; ++i)
      cmds.push_back({"SET", Key(i), Value(i)});
    std::vector<ReplyValue> replies = c.Pipeline(cmds);
    ASSERT_EQ(replies.size(), cmds.size());
    for (size_t j = 0; j < replies.size(); ++j) {
      ASSERT_EQ(Str(replies[j]), "OK") << "SET " << Key(start + static_cast<int>(j));
    }
  }
}

// Reads every key back in pipelined batches and counts the wrong or missing ones.
void ExpectAllReadable(RespClient& c, const std::string& when) {
  int missing = 0, wrong = 0;
  for (int start = 0; start < kKeys; start += kBatch) {
    std::vector<std::vector<std::string>> cmds;
    for (int i = start; i < start + kBatch && i < kKeys; ++i) cmds.push_back({"GET", Key(i)});
    std::vector<ReplyValue> replies = c.Pipeline(cmds);
    ASSERT_EQ(replies.size(), cmds.size());
    for (size_t j = 0; j < replies.size(); ++j) {
      int i = start + static_cast<int>(j);
      if (IsNil(replies[j])) {
        ++missing;
      } else if (replies[j].str != Value(i)) {
        ++wrong;
      }
    }
  }
  EXPECT_EQ(missing, 0) << when << ": keys lost (a durable profile must evict only from memory)";
  EXPECT_EQ(wrong, 0) << when << ": keys read back with a different value";
}

TEST(CacheMemory, EvictsToStayWithinMaxmemory) {
  ServerProcess server(WithProfile("cache", {"--maxmemory", "20mb"}));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  ASSERT_NO_FATAL_FAILURE(WriteAll(c));

  int64_t used = UsedMemory(c);
  EXPECT_GT(used, 0);
  EXPECT_LE(used, kUsedMemoryCeiling) << "used_memory " << used << " with maxmemory " << kMaxMemory;
  EXPECT_EQ(InfoField(c, "memory", "maxmemory"), std::to_string(kMaxMemory));
  int64_t dbsize = c.Command({"DBSIZE"}).integer;
  EXPECT_LT(dbsize, kKeys) << "nothing was evicted";
  EXPECT_GT(dbsize, 0);
  // LRU keeps what was written last.
  EXPECT_EQ(Str(c.Command({"GET", Key(kKeys - 1)})), Value(kKeys - 1));
  EXPECT_GT(std::stoll(InfoField(c, "stats", "evicted_keys")), 0);

  int64_t rss = server.RssBytes();
  EXPECT_GT(rss, 0);
  EXPECT_LT(rss, kRssCeiling) << "VmRSS " << rss / (1024 * 1024) << " MB";
}

TEST(CacheMemory, NoevictionAnswersOomOnceFull) {
  ServerProcess server(
      WithProfile("cache", {"--maxmemory", "20mb", "--maxmemory-policy", "noeviction"}));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  ReplyValue last;
  int written = 0;
  // One write at a time, so the first refusal is seen exactly when it happens.
  for (int i = 0; i < kKeys; ++i) {
    last = c.Command({"SET", Key(i), Value(i)});
    if (IsError(last)) break;
    ++written;
  }
  ASSERT_TRUE(IsError(last)) << "200 MB accepted under noeviction with maxmemory 20mb";
  EXPECT_EQ(last.str, "OOM command not allowed when used memory > 'maxmemory'.");
  EXPECT_GT(written, 100) << "refused long before 20 MB were used";
  EXPECT_LE(UsedMemory(c), kUsedMemoryCeiling);

  // Nothing was evicted; reads and deletes still work; a delete makes room again.
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, written);
  EXPECT_EQ(Str(c.Command({"GET", Key(0)})), Value(0));
  EXPECT_EQ(Str(c.Command({"SET", "another", Value(1)})),
            "OOM command not allowed when used memory > 'maxmemory'.");
  EXPECT_EQ(c.Command({"INCR", "counter"}).str,
            "OOM command not allowed when used memory > 'maxmemory'.");
  std::vector<std::string> del = {"DEL"};
  for (int i = 0; i < written / 2; ++i) del.push_back(Key(i));
  EXPECT_EQ(c.Command(del).integer, written / 2);
  EXPECT_EQ(Str(c.Command({"SET", "another", Value(1)})), "OK");
}

// Out of memory, as Redis: inside MULTI every command but EXEC, DISCARD, QUIT and RESET is
// refused (queuing takes memory) and dooms the EXEC; an EXEC whose queue holds a write that
// memory would refuse is itself refused and ends the transaction. The commands an EXEC runs
// are never refused or evicted part-way.
TEST(CacheMemory, OutOfMemoryInsideMultiRefusesAsRedisDoes) {
  ServerProcess server(WithProfile("cache", {"--maxmemory-policy", "noeviction"}));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port()), other(server.port());
  for (int i = 0; i < 200; ++i) ASSERT_EQ(Str(c.Command({"SET", Key(i), Value(i)})), "OK");
  const int64_t used = UsedMemory(c);
  const std::string oom = "OOM command not allowed when used memory > 'maxmemory'.";

  // Queued while memory fits; memory is then full when EXEC comes.
  EXPECT_EQ(Str(c.Command({"MULTI"})), "OK");
  EXPECT_EQ(Str(c.Command({"SET", "queued", "1"})), "QUEUED");
  EXPECT_EQ(Str(c.Command({"GET", Key(0)})), "QUEUED");
  EXPECT_EQ(Str(other.Command({"CONFIG", "SET", "maxmemory", std::to_string(used / 2)})), "OK");
  EXPECT_EQ(Str(c.Command({"EXEC"})), "EXECABORT Transaction discarded because of: " + oom);
  EXPECT_EQ(Str(c.Command({"EXEC"})), "ERR EXEC without MULTI");
  EXPECT_TRUE(IsNil(c.Command({"GET", "queued"})));

  // Full from the start: even a read is refused while queuing, and EXEC then aborts.
  EXPECT_EQ(Str(c.Command({"MULTI"})), "OK");
  EXPECT_EQ(Str(c.Command({"GET", Key(0)})), oom);
  EXPECT_EQ(Str(c.Command({"PING"})), oom);
  EXPECT_EQ(Str(c.Command({"EXEC"})),
            "EXECABORT Transaction discarded because of previous errors.");
  EXPECT_EQ(Str(c.Command({"MULTI"})), "OK");
  EXPECT_EQ(Str(c.Command({"DISCARD"})), "OK");

  // A transaction of reads queued while memory fits runs in full even when it is full.
  EXPECT_EQ(Str(other.Command({"CONFIG", "SET", "maxmemory", "0"})), "OK");
  EXPECT_EQ(Str(c.Command({"MULTI"})), "OK");
  EXPECT_EQ(Str(c.Command({"GET", Key(1)})), "QUEUED");
  EXPECT_EQ(Str(c.Command({"DEL", Key(2)})), "QUEUED");
  EXPECT_EQ(Str(other.Command({"CONFIG", "SET", "maxmemory", std::to_string(used / 2)})), "OK");
  ReplyValue r = c.Command({"EXEC"});
  ASSERT_EQ(r.elements.size(), 2u) << r.DebugString();
  EXPECT_EQ(Str(r.elements[0]), Value(1));
  EXPECT_EQ(r.elements[1].integer, 1);
}

TEST(SessionMemory, EvictsOnlyFromMemoryAndEveryKeyReadsBack) {
  ServerProcess server(WithProfile("session", {"--maxmemory", "20mb"}));
  ASSERT_TRUE(server.Start());
  {
    RespClient c(server.port());
    ASSERT_NO_FATAL_FAILURE(WriteAll(c));
    EXPECT_EQ(c.Command({"DBSIZE"}).integer, kKeys) << "DBSIZE counts keys on disk too";
    int64_t used = UsedMemory(c);
    EXPECT_LE(used, kUsedMemoryCeiling)
        << "the hot tier is bounded by maxmemory; used_memory " << used << "\n"
        << Str(c.Command({"INFO", "memory"}));
    ExpectAllReadable(c, "after eviction");
    used = UsedMemory(c);
    EXPECT_LE(used, kUsedMemoryCeiling)
        << "reading everything back reloads it all; used_memory " << used << "\n"
        << Str(c.Command({"INFO", "memory"}));
  }
  ASSERT_TRUE(server.Restart());
  RespClient c(server.port());
  EXPECT_EQ(c.Command({"DBSIZE"}).integer, kKeys);
  ExpectAllReadable(c, "after a restart");
}

TEST(SessionMemory, NoevictionIsForcedAndWritesNeverFailForMemory) {
  // A durable profile can always drop a memory copy, so it never answers OOM for a write.
  ServerProcess server(WithProfile("session", {"--maxmemory", "2mb"}));
  ASSERT_TRUE(server.Start());
  RespClient c(server.port());
  EXPECT_EQ(InfoField(c, "memory", "maxmemory_policy"), "noeviction");
  for (int start = 0; start < 1000; start += kBatch) {
    std::vector<std::vector<std::string>> cmds;
    for (int i = start; i < start + kBatch; ++i) cmds.push_back({"SET", Key(i), Value(i)});
    for (const ReplyValue& r : c.Pipeline(cmds)) ASSERT_EQ(Str(r), "OK");
  }
  EXPECT_EQ(Str(c.Command({"GET", Key(0)})), Value(0));
}

}  // namespace
}  // namespace strata::testing
