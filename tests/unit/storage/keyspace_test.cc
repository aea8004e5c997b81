#include "storage/keyspace.h"

#include <gtest/gtest.h>
#include <rocksdb/write_batch.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "common/hash.h"
#include "testing/temp_dir.h"

namespace strata::storage {
namespace {

using ::strata::testing::TempDir;

class KeyspaceTest : public ::testing::TestWithParam<config::Profile> {
 protected:
  void SetUp() override { Open(); }

  void Open(uint64_t maxmemory = 0,
            config::EvictionPolicy policy = config::EvictionPolicy::kAllKeysLru) {
    ks_.reset();
    KeyspaceOptions o;
    o.profile = GetParam();
    o.path = dir_.path() + "/db";
    o.databases = 4;
    o.maxmemory = maxmemory;
    o.policy = policy;
    o.clock = &clock_;
    auto ks = Keyspace::Open(o);
    ASSERT_TRUE(ks.ok()) << ks.status().ToString();
    ks_ = std::move(*ks);
    Tick();
  }
  void Tick() { ks_->SetCommandTime(clock_.NowMs()); }
  std::string Get(int db, const std::string& key) {
    Tick();
    auto e = ks_->Lookup(db, key);
    EXPECT_TRUE(e.ok());
    return *e ? (*e)->value : "(nil)";
  }
  void Commit() { ASSERT_TRUE(ks_->Commit().ok()); }
  bool durable() const { return GetParam() != config::Profile::kCache; }

  TempDir dir_{"keyspace"};  // before ks_, so the directory outlives the open Keyspace
  FakeClock clock_;
  std::unique_ptr<Keyspace> ks_;
};

TEST_P(KeyspaceTest, PutGetDeleteAndCounts) {
  ks_->PutString(0, "a", "1", 0);
  ks_->PutString(0, "b", "2", clock_.NowMs() + 1000);
  ks_->PutString(1, "a", "other db", 0);
  Commit();
  EXPECT_EQ(Get(0, "a"), "1");
  EXPECT_EQ(Get(1, "a"), "other db");
  EXPECT_EQ(ks_->KeyCount(0), 2u);
  EXPECT_EQ(ks_->ExpireCount(0), 1u);
  ks_->Delete(*ks_->Lookup(0, "b"));
  Commit();
  EXPECT_EQ(Get(0, "b"), "(nil)");
  EXPECT_EQ(ks_->KeyCount(0), 1u);
  EXPECT_EQ(ks_->ExpireCount(0), 0u);
}

TEST_P(KeyspaceTest, AverageTtlFollowsEveryChange) {
  int64_t now = clock_.NowMs();
  ks_->PutString(0, "a", "v", now + 10'000);
  ks_->PutString(0, "b", "v", now + 30'000);
  ks_->PutString(0, "c", "v", 0);
  Commit();
  EXPECT_EQ(ks_->AverageTtlMs(0), 20'000);
  ks_->SetExpire(*ks_->Lookup(0, "b"), 0);  // PERSIST
  EXPECT_EQ(ks_->AverageTtlMs(0), 10'000);
  ks_->Delete(*ks_->Lookup(0, "a"));
  EXPECT_EQ(ks_->AverageTtlMs(0), 0);
  Commit();
}

TEST_P(KeyspaceTest, ExpiredKeysAreNeverVisible) {
  ks_->PutString(0, "k", "v", clock_.NowMs() + 100);
  Commit();
  clock_.AdvanceMs(100);
  EXPECT_EQ(Get(0, "k"), "v");  // alive through its deadline millisecond, as in Redis
  clock_.AdvanceMs(1);
  EXPECT_EQ(Get(0, "k"), "(nil)");
  Commit();
  EXPECT_EQ(ks_->KeyCount(0), 0u);
  EXPECT_EQ(ks_->stats().expired_keys, 1u);
}

TEST_P(KeyspaceTest, ActiveExpiryRemovesKeysNobodyReads) {
  for (int i = 0; i < 500; ++i) {
    ks_->PutString(0, "t" + std::to_string(i), "v", clock_.NowMs() + 10 + i);
  }
  ks_->PutString(0, "forever", "v", 0);
  Commit();
  clock_.AdvanceMs(10'000);
  Tick();
  size_t removed = 0;
  for (int round = 0; round < 100 && ks_->KeyCount(0) > 1; ++round) {
    auto r = ks_->ActiveExpireCycle(100);
    ASSERT_TRUE(r.ok());
    removed += *r;
    Commit();
  }
  EXPECT_EQ(ks_->KeyCount(0), 1u);
  EXPECT_EQ(ks_->ExpireCount(0), 0u);
  EXPECT_EQ(removed, 500u);
  EXPECT_EQ(Get(0, "forever"), "v");
}

// Keys whose values wait in the redo log (deferred writes) are found by SCAN; a background
// walker (barrier=false) neither waits for the commit pipeline nor writes them through.
TEST_P(KeyspaceTest, ScanSeesDeferredKeysAndABackgroundWalkDoesNotForceThem) {
  for (int i = 0; i < 50; ++i) ks_->PutString(0, "k" + std::to_string(i), "v", 0);
  ks_->CommitAsync();
  Commit();
  auto quiet = ks_->Scan(0, 0, 1000, "*", std::nullopt, /*barrier=*/false);
  ASSERT_TRUE(quiet.ok());
  if (durable()) {
    EXPECT_TRUE(quiet->keys.empty()) << "new strings without TTL wait for a checkpoint";
  }
  auto full = ks_->Scan(0, 0, 1000, "*", std::nullopt);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->keys.size(), 50u);
  auto again = ks_->Scan(0, 0, 1000, "*", std::nullopt, /*barrier=*/false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->keys.size(), 50u) << "the barrier wrote them through";
}

// A deferred string that a checkpoint writes in the very batch that deleted it and set it again:
// RocksDB must end with the key (a checkpoint's writes otherwise go to RocksDB ahead of the
// batch's own, and the delete would win).
TEST_P(KeyspaceTest, CheckpointOfAStringDeletedAndSetAgainInItsBatchKeepsTheKey) {
  if (!durable()) GTEST_SKIP() << "no checkpoints in the cache profile";
  ks_->PutString(0, "k", "v1", 0);
  Commit();  // v1 is deferred: in the redo log only
  auto e = ks_->Lookup(0, "k");
  ASSERT_TRUE(e.ok() && *e != nullptr);
  ks_->Delete(*e);
  ks_->PutString(0, "k", "v2", 0);
  ks_->RequestCheckpoint();
  Commit();  // starts the checkpoint, whose first slice writes k
  auto walk = ks_->Scan(0, 0, 100, "*", std::nullopt, /*barrier=*/false);  // RocksDB's keys
  ASSERT_TRUE(walk.ok());
  EXPECT_EQ(walk->keys, std::vector<std::string>{"k"}) << "RocksDB lost the key";
  EXPECT_EQ(Get(0, "k"), "v2");
}

TEST_P(KeyspaceTest, ScanCoversEveryKeyWithNumericCursors) {
  std::set<std::string> expected;
  for (int i = 0; i < 300; ++i) {
    std::string k = "key:" + std::to_string(i);
    ks_->PutString(0, k, "v", 0);
    expected.insert(k);
  }
  ks_->PutString(0, "other", "v", 0);
  Commit();
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int calls = 0;
  do {
    auto r = ks_->Scan(0, cursor, 25, "key:*", std::nullopt);
    ASSERT_TRUE(r.ok());
    for (auto& k : r->keys) EXPECT_TRUE(seen.insert(k).second) << "duplicate " << k;
    cursor = r->next_cursor;
    ASSERT_LT(++calls, 1000);
  } while (cursor != 0);
  EXPECT_EQ(seen, expected);
  EXPECT_GT(calls, 3);
}

// Keys whose stable hash (KeyHash64, public) is one and the same: a client that knows the
// function can make as many as it likes. Each is 16 bytes: a free first word, and a second
// word solved so that the hash state after it is a fixed value.
std::vector<std::string> KeysWithOneStableHash(int count) {
  constexpr uint64_t kMul1 = 0x9E3779B97F4A7C15ull, kMul2 = 0xC2B2AE3D27D4EB4Full;
  auto inverse = [](uint64_t odd) {
    uint64_t inv = odd;
    for (int i = 0; i < 6; ++i) inv *= 2 - odd * inv;
    return inv;
  };
  auto mix = [](uint64_t x) {
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ull;
    return x ^ (x >> 33);
  };
  auto unmix = [&](uint64_t x) {
    x ^= x >> 33;
    x *= inverse(0xC4CEB9FE1A85EC53ull);
    x ^= x >> 33;
    x *= inverse(0xFF51AFD7ED558CCDull);
    return x ^ (x >> 33);
  };
  auto rotl = [](uint64_t h, int r) { return (h << r) | (h >> (64 - r)); };
  auto step = [&](uint64_t h, uint64_t word) { return rotl((h ^ mix(word * kMul2)) * kMul1, 27); };
  const uint64_t target = 0x0123456789abcdefull;
  const uint64_t before_rotl = rotl(target, 64 - 27) * inverse(kMul1);
  std::vector<std::string> keys;
  for (uint64_t first = 1; keys.size() < static_cast<size_t>(count); ++first) {
    const uint64_t h1 = step(16 * kMul1, first);
    const uint64_t second = unmix(before_rotl ^ h1) * inverse(kMul2);
    EXPECT_EQ(step(h1, second), target);
    std::string key(16, '\0');
    std::memcpy(key.data(), &first, 8);
    std::memcpy(key.data() + 8, &second, 8);
    keys.push_back(std::move(key));
  }
  return keys;
}

// The hot tier places keys by a per-process keyed hash, so keys that collide in the public one
// spread over its buckets: a page of SCAN stays a page (a bucket is never split between two
// pages, so one long chain would come back whole), and lookups stay short.
TEST_P(KeyspaceTest, KeysCollidingInThePublicHashSpreadInMemory) {
  if (ks_->durable()) GTEST_SKIP() << "durable SCAN walks RocksDB, ordered by the public hash";
  const std::vector<std::string> keys = KeysWithOneStableHash(2000);
  for (const std::string& k : keys) EXPECT_EQ(KeyHash64(k), KeyHash64(keys[0]));
  for (const std::string& k : keys) ks_->PutString(0, k, "v", 0);
  Commit();
  auto page = ks_->Scan(0, 0, 10, "*", std::nullopt);
  ASSERT_TRUE(page.ok());
  EXPECT_LT(page->keys.size(), 100u);
  EXPECT_NE(page->next_cursor, 0u);
}

TEST_P(KeyspaceTest, StagedDeleteIsVisibleBeforeCommit) {
  ks_->PutString(0, "k", "v", 0);
  Commit();
  ks_->Delete(*ks_->Lookup(0, "k"));
  // Not committed yet: the read must not fall through to the old copy on disk.
  EXPECT_EQ(Get(0, "k"), "(nil)");
  ks_->PutString(0, "k", "again", 0);
  EXPECT_EQ(Get(0, "k"), "again");
  Commit();
  EXPECT_EQ(ks_->KeyCount(0), 1u);
}

TEST_P(KeyspaceTest, FlushAndSwapDatabases) {
  ks_->PutString(0, "a", "zero", 0);
  ks_->PutString(1, "a", "one", 0);
  Commit();
  ASSERT_TRUE(ks_->SwapDb(0, 1).ok());
  Commit();
  EXPECT_EQ(Get(0, "a"), "one");
  EXPECT_EQ(Get(1, "a"), "zero");
  ASSERT_TRUE(ks_->FlushDb(0).ok());
  EXPECT_EQ(Get(0, "a"), "(nil)");
  EXPECT_EQ(Get(1, "a"), "zero");
  EXPECT_EQ(ks_->KeyCount(0), 0u);
  if (!durable()) return;
  Open();  // the swap and the flush are both persisted
  EXPECT_EQ(Get(0, "a"), "(nil)");
  EXPECT_EQ(Get(1, "a"), "zero");
  EXPECT_EQ(ks_->KeyCount(1), 1u);
}

TEST_P(KeyspaceTest, RestartKeepsValuesTtlsAndCountsInDurableProfiles) {
  int64_t deadline = clock_.NowMs() + 60'000;
  ks_->PutString(0, "session", "data", deadline);
  ks_->PutString(2, "plain", "x", 0);
  Commit();
  Open();
  if (!durable()) {
    EXPECT_EQ(Get(0, "session"), "(nil)");
    EXPECT_EQ(ks_->KeyCount(0), 0u);
    return;
  }
  EXPECT_EQ(Get(0, "session"), "data");
  EXPECT_EQ((*ks_->Lookup(0, "session"))->expire_ms, deadline);
  EXPECT_EQ(Get(2, "plain"), "x");
  EXPECT_EQ(ks_->KeyCount(0), 1u);
  EXPECT_EQ(ks_->ExpireCount(0), 1u);
  EXPECT_EQ(ks_->AverageTtlMs(0), 60'000);
  // The key expires while the store is closed: still never visible after the restart.
  ks_.reset();
  clock_.AdvanceMs(61'000);
  Open();
  EXPECT_EQ(Get(0, "session"), "(nil)");
}

TEST_P(KeyspaceTest, MemoryLimitEvictsInCacheAndOnlyDropsCopiesWhenDurable) {
  Open(/*maxmemory=*/4 << 20);
  const std::string value(10'000, 'v');
  for (int i = 0; i < 2000; ++i) {  // 20 MB into a 4 MB budget
    Tick();
    ASSERT_TRUE(ks_->EnforceMemory() || durable());
    ks_->PutString(0, "k" + std::to_string(i), value, 0);
    Commit();
  }
  ks_->EnforceMemory();
  EXPECT_LE(ks_->UsedMemory(), uint64_t{4} << 20);
  if (!durable()) {
    EXPECT_LT(ks_->KeyCount(0), 2000u);
    EXPECT_GT(ks_->stats().evicted_keys, 0u);
    return;
  }
  EXPECT_EQ(ks_->KeyCount(0), 2000u);
  for (int i = 0; i < 2000; ++i) ASSERT_EQ(Get(0, "k" + std::to_string(i)), value) << i;
  EXPECT_GT(ks_->stats().warm_reads, 0u);
}

TEST_P(KeyspaceTest, NoevictionRefusesInsteadOfDeleting) {
  if (durable()) GTEST_SKIP() << "durable profiles never delete under memory pressure";
  Open(/*maxmemory=*/2 << 20, config::EvictionPolicy::kNoEviction);
  const std::string value(10'000, 'v');
  int written = 0;
  for (; written < 1000; ++written) {
    Tick();
    if (!ks_->EnforceMemory() && ks_->OverMemoryLimit()) break;
    ks_->PutString(0, "k" + std::to_string(written), value, 0);
  }
  EXPECT_LT(written, 1000);
  EXPECT_EQ(ks_->KeyCount(0), static_cast<uint64_t>(written));
}

INSTANTIATE_TEST_SUITE_P(Profiles, KeyspaceTest,
                         ::testing::Values(config::Profile::kCache, config::Profile::kSession),
                         [](const auto& info) {
                           return std::string(info.param == config::Profile::kCache ? "Cache"
                                                                                    : "Session");
                         });

TEST(KeyspaceFormat, RefusesADirectoryOfAnotherProgram) {
  TempDir dir("keyspace");
  std::filesystem::create_directories(dir.path() + "/db");
  { std::ofstream(dir.path() + "/db/somefile") << "not ours"; }
  KeyspaceOptions o;
  o.profile = config::Profile::kSession;
  o.path = dir.path() + "/db";
  auto ks = Keyspace::Open(o);
  ASSERT_FALSE(ks.ok());
  EXPECT_NE(ks.status().message().find("refusing"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/db/somefile"));
}

// A directory of a format this binary does not read is refused with a message that names both
// formats; one of the upgradable format is refused too when no upgrade is given.
TEST(KeyspaceFormat, OtherFormatsAreRefusedNamingBoth) {
  TempDir dir("format");
  KeyspaceOptions o;
  o.profile = config::Profile::kSession;
  o.path = dir.path() + "/db";
  ASSERT_TRUE(Keyspace::Open(o).ok());  // creates it, in the current format
  auto stamp = [&](uint32_t version) {
    WarmTierOptions wo;
    wo.path = o.path;
    auto warm = WarmTier::Open(wo);
    ASSERT_TRUE(warm.ok()) << warm.status().ToString();
    rocksdb::WriteBatch batch;
    (*warm)->StageFormatVersion(&batch, version);
    ASSERT_TRUE((*warm)->Write(&batch).ok());
    ASSERT_TRUE((*warm)->Flush().ok());
  };
  stamp(1);
  auto no_upgrade = Keyspace::Open(o);
  ASSERT_FALSE(no_upgrade.ok());
  EXPECT_NE(no_upgrade.status().message().find("uses Strata data format 1, which this build "
                                               "cannot upgrade"),
            std::string::npos)
      << no_upgrade.status().message();
  stamp(99);
  auto refused = Keyspace::Open(o);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("uses Strata data format 99, this binary reads "
                                            "format 2 (and upgrades format 1)"),
            std::string::npos)
      << refused.status().message();
}

}  // namespace
}  // namespace strata::storage
