// SortedForInsert against applying the batch as it is: random puts and deletes over a small
// key space in two column families, with many writes to the same keys, must leave RocksDB in
// the same state either way.
#include "storage/batch_order.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "testing/temp_dir.h"

namespace strata::storage {
namespace {

using ::strata::testing::TempDir;

class BatchOrderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rocksdb::Options o;
    o.create_if_missing = true;
    o.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {
        {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions()},
        {"second", rocksdb::ColumnFamilyOptions()}};
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(o, dir_.path(), cfs, &handles_, &db).ok());
    db_.reset(db);
    for (auto* h : handles_) {
      if (by_id_.size() <= h->GetID()) by_id_.resize(h->GetID() + 1);
      by_id_[h->GetID()] = h;
    }
  }
  void TearDown() override {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_.reset();
  }
  std::map<std::string, std::string> Contents(size_t cf) {
    std::map<std::string, std::string> out;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[cf]));
    for (it->SeekToFirst(); it->Valid(); it->Next())
      out[it->key().ToString()] = it->value().ToString();
    return out;
  }

  TempDir dir_{"batchorder"};  // removed after TearDown has closed the database in it
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::vector<rocksdb::ColumnFamilyHandle*> by_id_;
  std::unique_ptr<rocksdb::DB> db_;
};

TEST_F(BatchOrderTest, SortedBatchLeavesWhatTheBatchWouldLeave) {
  std::mt19937 rng(11);
  std::map<std::string, std::string> model[2];
  for (int round = 0; round < 30; ++round) {
    rocksdb::WriteBatch batch;
    int n = 64 + static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) {
      size_t cf = rng() % 2;
      std::string key = "k" + std::to_string(rng() % 40);  // few keys: many repeats
      if (rng() % 3 == 0) {
        ASSERT_TRUE(batch.Delete(handles_[cf], key).ok());
        model[cf].erase(key);
      } else {
        std::string value = std::to_string(round) + ":" + std::to_string(i);
        ASSERT_TRUE(batch.Put(handles_[cf], key, value).ok());
        model[cf][key] = value;
      }
    }
    auto sorted = SortedForInsert(batch, by_id_);
    ASSERT_TRUE(sorted.has_value());
    EXPECT_EQ(sorted->Count(), batch.Count());
    ASSERT_TRUE(db_->Write(rocksdb::WriteOptions(), &*sorted).ok());
    ASSERT_EQ(Contents(0), model[0]) << "round " << round;
    ASSERT_EQ(Contents(1), model[1]) << "round " << round;
  }
}

TEST_F(BatchOrderTest, RangeDeletesAndSmallBatchesKeepTheirOrder) {
  rocksdb::WriteBatch small;
  ASSERT_TRUE(small.Put(handles_[0], "b", "1").ok());
  ASSERT_TRUE(small.Put(handles_[0], "a", "2").ok());
  EXPECT_FALSE(SortedForInsert(small, by_id_).has_value());

  rocksdb::WriteBatch ranged;
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(ranged.Put(handles_[0], "k" + std::to_string(i), "v").ok());
  ASSERT_TRUE(ranged.DeleteRange(handles_[0], "k1", "k5").ok());
  ASSERT_TRUE(ranged.Put(handles_[0], "k2", "after the range delete").ok());
  EXPECT_FALSE(SortedForInsert(ranged, by_id_).has_value());
}

}  // namespace
}  // namespace strata::storage
