// The hash type on its own: the in-memory object's order and accounting, and the Hash handle
// in both profiles, held whole and (session) through the on-disk path.
#include "types/hash.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "testing/temp_dir.h"

namespace strata::types {
namespace {

using ::strata::testing::TempDir;

std::vector<std::string> FieldsInOrder(const HashObject& obj) {
  std::vector<std::string> out;
  for (size_t i = 0; i < obj.size(); ++i) out.emplace_back(obj.At(i).first);
  return out;
}

TEST(HashObjectTest, SmallHashKeepsInsertionOrderThroughUpdatesAndDeletes) {
  HashObject obj;
  EXPECT_TRUE(obj.Set("c", "1"));
  EXPECT_TRUE(obj.Set("a", "2"));
  EXPECT_TRUE(obj.Set("b", "3"));
  EXPECT_FALSE(obj.Set("c", "updated"));  // an update keeps the field's place
  EXPECT_EQ(FieldsInOrder(obj), (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_TRUE(obj.Erase("a"));
  EXPECT_FALSE(obj.Erase("a"));
  EXPECT_EQ(FieldsInOrder(obj), (std::vector<std::string>{"c", "b"}));
  EXPECT_EQ(*obj.Find("c"), "updated");
  EXPECT_EQ(obj.Find("a"), nullptr);
}

TEST(HashObjectTest, BigHashStaysConsistentAndBytesReturnToEmpty) {
  HashObject obj;
  const size_t empty = obj.Bytes();
  for (int i = 0; i < 1000; ++i) obj.Set("f" + std::to_string(i), std::string(i % 50, 'x'));
  EXPECT_GT(obj.Bytes(), empty + 1000 * 2);
  for (int i = 0; i < 1000; i += 3) ASSERT_TRUE(obj.Erase("f" + std::to_string(i)));
  std::set<std::string> seen;
  for (size_t i = 0; i < obj.size(); ++i) {
    auto [field, value] = obj.At(i);
    ASSERT_NE(obj.Find(field), nullptr);
    EXPECT_EQ(*obj.Find(field), value);
    seen.emplace(field);
  }
  EXPECT_EQ(seen.size(), obj.size());
  EXPECT_EQ(obj.size(), 666u);
  auto clone = obj.Clone();
  EXPECT_EQ(clone->Bytes(), obj.Bytes());
  for (int i = 0; i < 1000; ++i) obj.Erase("f" + std::to_string(i));
  EXPECT_EQ(obj.size(), 0u);
  EXPECT_EQ(obj.Bytes(), empty);
  EXPECT_EQ(static_cast<HashObject*>(clone.get())->size(), 666u);  // the clone is independent
}

class HashTest : public ::testing::TestWithParam<config::Profile> {
 protected:
  HashTest() { Open(); }

  void Open() {
    ks_.reset();
    storage::KeyspaceOptions o;
    o.profile = GetParam();
    o.path = dir_.path() + "/db";
    o.databases = 2;
    o.clock = &clock_;
    auto ks = storage::Keyspace::Open(o);
    ASSERT_TRUE(ks.ok()) << ks.status().ToString();
    ks_ = std::move(*ks);
    ks_->SetCommandTime(clock_.NowMs());
  }
  Hash OpenHash(std::string_view key = "h") {
    ks_->SetCommandTime(clock_.NowMs());
    auto h = Hash::Open(*ks_, 0, key, true);
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    return std::move(*h);
  }
  void Commit() { ASSERT_TRUE(ks_->Commit().ok()); }
  // Fills `key` with n fields f<i> = v<i>, in batches of one command each.
  void Fill(int n, std::string_view key = "h") {
    for (int start = 0; start < n; start += 100) {
      std::vector<std::string> storage;
      for (int i = start; i < std::min(n, start + 100); ++i) {
        storage.push_back("f" + std::to_string(i));
        storage.push_back("v" + std::to_string(i));
      }
      std::vector<Hash::Pair> pairs;
      for (size_t i = 0; i < storage.size(); i += 2) pairs.emplace_back(storage[i], storage[i + 1]);
      Hash h = OpenHash(key);
      ASSERT_TRUE(h.Set(pairs).ok());
      Commit();
    }
  }
  bool HeldWhole(std::string_view key = "h") {
    auto e = ks_->Peek(0, key);
    return e.ok() && *e != nullptr && (*e)->object != nullptr;
  }

  TempDir dir_{"hash"};  // before ks_, so the directory outlives the open Keyspace
  FakeClock clock_;
  std::unique_ptr<storage::Keyspace> ks_;
};

TEST_P(HashTest, IncrementsParseAndRefuseAsRedis) {
  Hash h = OpenHash();
  EXPECT_EQ(*h.IncrBy("n", 5), 5);
  EXPECT_EQ(*h.IncrBy("n", -7), -2);
  ASSERT_TRUE(h.Set({{"big", "9223372036854775807"}, {"s", "abc"}, {"z", "007"}}).ok());
  auto overflow = h.IncrBy("big", 1);
  EXPECT_EQ(overflow.status().message(), "ERR increment or decrement would overflow");
  EXPECT_EQ(h.IncrBy("s", 1).status().message(), "ERR hash value is not an integer");
  EXPECT_EQ(h.IncrBy("z", 1).status().message(), "ERR hash value is not an integer");
  EXPECT_EQ(*h.IncrByFloat("f", 1.5L), "1.5");
  EXPECT_EQ(*h.IncrByFloat("z", 1), "8");  // strtold reads "007"
  EXPECT_EQ(h.IncrByFloat("s", 1).status().message(), "ERR hash value is not a float");
  ASSERT_TRUE(h.Set({{"inf", "inf"}}).ok());
  EXPECT_EQ(h.IncrByFloat("inf", 1).status().message(),
            "ERR increment would produce NaN or Infinity");
  Commit();
  Hash again = OpenHash();
  EXPECT_EQ(**again.Get("n"), "-2");
  EXPECT_EQ(**again.Get("big"), "9223372036854775807");
  EXPECT_EQ(again.size(), 6u);
}

TEST_P(HashTest, RandomCountsAndDistinctness) {
  Fill(10);
  Hash h = OpenHash();
  EXPECT_TRUE(h.Random(0, true)->empty());
  EXPECT_EQ(h.Random(100, true)->size(), 10u);
  for (uint64_t count : {1, 3, 4, 9}) {
    auto picked = h.Random(count, true);
    ASSERT_TRUE(picked.ok());
    std::set<std::string> distinct;
    for (const auto& [f, v] : *picked) {
      EXPECT_EQ("v" + f.substr(1), v);
      distinct.insert(f);
    }
    EXPECT_EQ(distinct.size(), count);
  }
  auto repeated = h.Random(50, false);
  ASSERT_EQ(repeated->size(), 50u);
  std::set<std::string> seen;
  for (const auto& [f, v] : *repeated) seen.insert(f);
  EXPECT_GT(seen.size(), 1u);  // 50 draws from 10 fields: all equal has probability 10^-49
}

TEST_P(HashTest, ScanOfASmallHashIsOnePage) {
  Fill(20);
  Hash h = OpenHash();
  auto page = h.Scan(0, 5);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->next_cursor, 0u);
  EXPECT_EQ(page->items.size(), 20u);
}

// A big hash pages by field hash, whether held whole (cache) or read from disk (session), and a
// full iteration returns every field exactly once.
TEST_P(HashTest, ScanOfABigHashPagesByFieldHash) {
  Fill(1500);
  EXPECT_EQ(HeldWhole(), GetParam() == config::Profile::kCache);
  std::map<std::string, int> seen;
  uint64_t cursor = 0;
  int pages = 0;
  do {
    Hash h = OpenHash();
    auto page = h.Scan(cursor, 100);
    ASSERT_TRUE(page.ok());
    EXPECT_LE(page->items.size(), 100u);
    for (const auto& [f, v] : page->items) ++seen[f];
    cursor = page->next_cursor;
    ++pages;
  } while (cursor != 0 && pages < 1000);
  EXPECT_EQ(seen.size(), 1500u);
  for (const auto& [f, n] : seen) EXPECT_EQ(n, 1) << f;
  EXPECT_GE(pages, 15);

  Hash h = OpenHash();
  auto picked = h.Random(20, true);
  ASSERT_TRUE(picked.ok());
  std::set<std::string> distinct;
  for (const auto& [f, v] : *picked) {
    EXPECT_EQ("v" + f.substr(1), v);
    distinct.insert(f);
  }
  EXPECT_EQ(distinct.size(), 20u);
  EXPECT_EQ(h.Random(7, false)->size(), 7u);
  EXPECT_EQ(h.Random(1400, true)->size(), 1400u);
  EXPECT_EQ(h.Random(2000, true)->size(), 1500u);
}

TEST_P(HashTest, DeletingEveryFieldDeletesTheKey) {
  Fill(3);
  Hash h = OpenHash();
  EXPECT_EQ(*h.Delete({"f0", "nope", "f1"}), 2);
  EXPECT_EQ(*h.Delete({"f2"}), 1);
  EXPECT_FALSE(h.exists());
  Commit();
  EXPECT_FALSE(OpenHash().exists());
  EXPECT_EQ(ks_->KeyCount(0), 0u);
}

INSTANTIATE_TEST_SUITE_P(Profiles, HashTest,
                         ::testing::Values(config::Profile::kCache, config::Profile::kSession),
                         [](const auto& info) {
                           return std::string(config::ProfileName(info.param));
                         });

}  // namespace
}  // namespace strata::types
