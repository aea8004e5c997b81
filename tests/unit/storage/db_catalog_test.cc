// The database catalog: logical and physical numbering, counts, and what RocksDB keeps of them.
#include "storage/db_catalog.h"

#include <gtest/gtest.h>

#include "storage/warm_tier.h"
#include "testing/temp_dir.h"

namespace strata::storage {
namespace {

using ::strata::testing::TempDir;

std::unique_ptr<WarmTier> OpenWarm(const TempDir& dir, uint32_t databases = 4) {
  WarmTierOptions o;
  o.path = dir.path();
  o.databases = databases;
  auto warm = WarmTier::Open(o);
  EXPECT_TRUE(warm.ok()) << warm.status().ToString();
  return warm.ok() ? std::move(*warm) : nullptr;
}

TEST(DbCatalogTest, CountsFollowKeysAndTtls) {
  DbCatalog catalog;
  catalog.Reset(2);
  catalog.KeyAdded(1);
  catalog.KeyAdded(1);
  catalog.ExpireChanged(1, 0, 5000);
  catalog.ExpireChanged(1, 0, 7000);
  EXPECT_EQ(catalog.counts(1).keys, 2u);
  EXPECT_EQ(catalog.counts(1).expires, 2u);
  EXPECT_DOUBLE_EQ(catalog.counts(1).deadline_sum, 12000);
  catalog.KeyRemoved(1, 5000);
  EXPECT_EQ(catalog.counts(1).keys, 1u);
  EXPECT_EQ(catalog.counts(1).expires, 1u);
  EXPECT_DOUBLE_EQ(catalog.counts(1).deadline_sum, 7000);
  EXPECT_EQ(catalog.counts(0).keys, 0u);
  catalog.Flushed(1, 9);
  EXPECT_EQ(catalog.counts(1).keys, 0u);
  EXPECT_EQ(catalog.flushed_ticket(1), 9u);
}

TEST(DbCatalogTest, SwapChangesNumberingNotData) {
  DbCatalog catalog;
  catalog.Reset(3);
  catalog.Swap(0, 2);
  EXPECT_EQ(catalog.Physical(0), 2);
  EXPECT_EQ(catalog.Physical(2), 0);
  EXPECT_EQ(catalog.Logical(2), 0);
  EXPECT_EQ(catalog.Logical(1), 1);
}

TEST(DbCatalogTest, MapAndStagedCountsSurviveReopen) {
  TempDir dir("catalog");
  {
    auto warm = OpenWarm(dir);
    ASSERT_NE(warm, nullptr);
    DbCatalog catalog;
    catalog.Reset(4);
    catalog.KeyAdded(3);
    catalog.ExpireChanged(3, 0, 1234);
    catalog.Swap(1, 3);
    rocksdb::WriteBatch batch;
    catalog.StageMap(*warm, &batch);
    EXPECT_TRUE(catalog.AnyCountsDirty());
    catalog.StageDirtyCounts(warm.get(), &batch);
    EXPECT_FALSE(catalog.AnyCountsDirty());
    catalog.KeyAdded(0);  // never staged: not kept
    ASSERT_TRUE(warm->Write(&batch).ok());
    ASSERT_TRUE(warm->Flush().ok());
  }
  auto warm = OpenWarm(dir);
  ASSERT_NE(warm, nullptr);
  DbCatalog catalog;
  catalog.Reset(4);
  ASSERT_TRUE(catalog.Load(*warm).ok());
  EXPECT_EQ(catalog.Physical(1), 3);
  EXPECT_EQ(catalog.Physical(3), 1);
  EXPECT_EQ(catalog.counts(3).keys, 1u);
  EXPECT_EQ(catalog.counts(3).expires, 1u);
  EXPECT_DOUBLE_EQ(catalog.counts(3).deadline_sum, 1234);
  EXPECT_EQ(catalog.counts(0).keys, 0u);

  DbCatalog fewer;
  fewer.Reset(2);
  Status s = fewer.Load(*warm);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("created with 4 databases"), std::string::npos) << s.ToString();
}

TEST(DbCatalogTest, CacheProfileStagesNothing) {
  DbCatalog catalog;
  catalog.Reset(1);
  catalog.KeyAdded(0);
  catalog.StageDirtyCounts(nullptr, nullptr);
  EXPECT_FALSE(catalog.AnyCountsDirty());
  EXPECT_EQ(catalog.counts(0).keys, 1u);
}

}  // namespace
}  // namespace strata::storage
