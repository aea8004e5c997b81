// The merging sub-key iterator against a model: random RocksDB contents, a random overlay of
// puts and deletions, and random walks that seek and change direction.
#include "storage/sub_iterator.h"

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

class SubIteratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(o, dir_.path(), &db).ok());
    db_.reset(db);
  }
  std::unique_ptr<rocksdb::Iterator> Base() {
    return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(rocksdb::ReadOptions()));
  }
  TempDir dir_{"subiter"};  // before db_, so the directory outlives the open database
  std::unique_ptr<rocksdb::DB> db_;
};

std::string Key(int i) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%03d", i);
  return std::string("P") + buf;  // "P" is the collection prefix
}

TEST_F(SubIteratorTest, MatchesAModelOfBaseAndOverlay) {
  std::mt19937 rng(7);
  for (int round = 0; round < 40; ++round) {
    // Fresh contents each round.
    std::map<std::string, std::string> model;
    for (int i = 0; i < 60; ++i) db_->Delete(rocksdb::WriteOptions(), Key(i));
    for (int i = 0; i < 60; ++i) {
      if (rng() % 2) {
        std::string v = "base" + std::to_string(i);
        db_->Put(rocksdb::WriteOptions(), Key(i), v);
        model[Key(i)] = v;
      }
    }
    std::vector<SubIterator::Pending> pending;
    for (int i = 0; i < 60; ++i) {
      int r = rng() % 4;
      if (r == 0) {
        pending.push_back({Key(i), std::nullopt});
        model.erase(Key(i));
      } else if (r == 1) {
        std::string v = "new" + std::to_string(i);
        pending.push_back({Key(i), v});
        model[Key(i)] = v;
      }
    }
    SubIterator it("P", Base(), pending);
    auto check = [&](std::map<std::string, std::string>::iterator m, bool valid_expected) {
      ASSERT_EQ(it.Valid(), valid_expected);
      if (valid_expected) {
        ASSERT_EQ(std::string("P") + std::string(it.sub()), m->first);
        ASSERT_EQ(std::string(it.value()), m->second);
      }
    };
    // A random walk, compared step by step with the model.
    auto m = model.end();
    bool valid = false;
    for (int step = 0; step < 200; ++step) {
      int op = rng() % 6;
      int k = rng() % 62;
      std::string target = Key(k).substr(1);
      if (op == 0 || !valid) {
        if (op % 2 == 0) {
          it.Seek(target);
          m = model.lower_bound("P" + target);
          valid = m != model.end();
        } else {
          it.SeekForPrev(target);
          auto up = model.upper_bound("P" + target);
          valid = up != model.begin();
          m = valid ? std::prev(up) : model.end();
        }
      } else if (op == 1) {
        it.SeekToFirst();
        m = model.begin();
        valid = m != model.end();
      } else if (op == 2) {
        it.SeekToLast();
        valid = !model.empty();
        m = valid ? std::prev(model.end()) : model.end();
      } else if (op == 3 || op == 4) {
        it.Next();
        ++m;
        valid = m != model.end();
      } else {
        it.Prev();
        valid = m != model.begin();
        m = valid ? std::prev(m) : model.end();
      }
      check(m, valid);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

}  // namespace
}  // namespace strata::storage
