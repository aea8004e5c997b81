// Deleting, replacing or expiring a collection is one meta write; the compaction filter then
// drops the orphaned sub-keys, so the disk space comes back. A recreated collection of the
// same name never sees its predecessor's elements.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/clock.h"
#include "storage/keyspace.h"
#include "testing/temp_dir.h"
#include "types/hash.h"
#include "types/list.h"

namespace strata::types {
namespace {

using ::strata::testing::TempDir;

class SubKeyReclaim : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::KeyspaceOptions o;
    o.profile = config::Profile::kSession;
    o.path = dir_.path() + "/db";
    o.clock = &clock_;
    auto ks = storage::Keyspace::Open(o);
    ASSERT_TRUE(ks.ok()) << ks.status().ToString();
    ks_ = std::move(*ks);
    ks_->SetCommandTime(clock_.NowMs());
  }
  // Counts the sub-keys RocksDB still holds in the data column family.
  size_t DataSubKeys() {
    auto it = ks_->warm()->NewIterator(storage::WarmTier::kData);
    size_t n = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
    return n;
  }
  // A checkpoint (SAVE) first: collections held whole write their elements to RocksDB then.
  void Compact() {
    ASSERT_TRUE(ks_->Save().ok());
    ASSERT_TRUE(ks_->warm()->CompactAll(storage::WarmTier::kData).ok());
  }
  void FillHash(const std::string& key, int fields, const std::string& prefix) {
    auto h = Hash::Open(*ks_, 0, key, true);
    ASSERT_TRUE(h.ok());
    std::vector<std::string> names;
    for (int i = 0; i < fields; ++i) names.push_back(prefix + std::to_string(i));
    std::vector<Hash::Pair> pairs;
    for (const auto& n : names) pairs.emplace_back(n, "value");
    ASSERT_TRUE(h->Set(pairs).ok());
    ASSERT_TRUE(ks_->Commit().ok());
  }

  TempDir dir_{"reclaim"};  // before ks_, so the directory outlives the open Keyspace
  FakeClock clock_;
  std::unique_ptr<storage::Keyspace> ks_;
};

TEST_F(SubKeyReclaim, DeletedCollectionsLoseTheirSubKeysOnCompaction) {
  FillHash("big", 3000, "f");
  FillHash("kept", 10, "k");
  Compact();
  EXPECT_EQ(DataSubKeys(), 3010u);
  auto e = ks_->Peek(0, "big");
  ASSERT_TRUE(e.ok() && *e);
  ks_->Delete(*e);  // one meta write, whatever the size
  Compact();
  EXPECT_EQ(DataSubKeys(), 10u);
  auto kept = Hash::Open(*ks_, 0, "kept");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->size(), 10u);
}

TEST_F(SubKeyReclaim, ARecreatedKeyNeverSeesOldElements) {
  FillHash("h", 2000, "old");
  auto e = ks_->Peek(0, "h");
  ks_->Delete(*e);
  FillHash("h", 3, "new");
  auto h = Hash::Open(*ks_, 0, "h");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->size(), 3u);
  auto old = h->Get("old1");
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old->has_value());
  Compact();
  EXPECT_EQ(DataSubKeys(), 3u);
}

TEST_F(SubKeyReclaim, ExpiredAndReplacedCollectionsAreReclaimedToo) {
  auto list = List::Open(*ks_, 0, "l", true);
  ASSERT_TRUE(list.ok());
  std::vector<std::string> values(1500, "x");
  std::vector<std::string_view> views(values.begin(), values.end());
  ASSERT_TRUE(list->PushBack(views).ok());
  FillHash("replaced", 1500, "f");
  auto e = ks_->Peek(0, "l");
  ks_->SetExpire(*e, clock_.NowMs() + 1000);
  ks_->PutString(0, "replaced", "now a string", 0);
  ASSERT_TRUE(ks_->Commit().ok());
  clock_.AdvanceMs(2000);
  ks_->SetCommandTime(clock_.NowMs());
  auto removed = ks_->ActiveExpireCycle(100);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1u);
  Compact();
  EXPECT_EQ(DataSubKeys(), 0u);
}

}  // namespace
}  // namespace strata::types
