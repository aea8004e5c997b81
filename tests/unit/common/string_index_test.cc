#include "common/string_index.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <string>

namespace strata {
namespace {

struct Item {
  std::string key;
  int value;
};
std::string_view KeyOfItem(const Item& i) { return i.key; }
using Index = StringIndex<Item, &KeyOfItem>;

// Indexes and owns items, as HashObject does.
class Model {
 public:
  bool Insert(const std::string& key, int value) {
    if (index.Find(key) != nullptr) return false;
    auto item = std::make_unique<Item>(Item{key, value});
    index.Insert(item.get(), Index::Hash(key));
    owned[key] = std::move(item);
    return true;
  }
  bool Erase(const std::string& key) {
    Item* removed = index.Erase(key);
    if (removed == nullptr) {
      EXPECT_EQ(owned.count(key), 0u) << key;
      return false;
    }
    EXPECT_EQ(removed, owned.at(key).get()) << key;
    owned.erase(key);
    return true;
  }
  void ExpectMatches() {
    ASSERT_EQ(index.size(), owned.size());
    for (const auto& [key, item] : owned) ASSERT_EQ(index.Find(key), item.get()) << key;
  }

  Index index;
  std::map<std::string, std::unique_ptr<Item>> owned;
};

TEST(StringIndexTest, EmptyIndexFindsAndErasesNothing) {
  Index index;
  EXPECT_EQ(index.Find("a"), nullptr);
  EXPECT_EQ(index.Erase("a"), nullptr);
  EXPECT_EQ(index.size(), 0u);
}

TEST(StringIndexTest, FindsWhatWasInsertedAcrossGrowth) {
  Model m;
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(m.Insert("field:" + std::to_string(i), i));
  m.ExpectMatches();
  EXPECT_EQ(m.index.Find("field:10000"), nullptr);
  EXPECT_EQ(m.index.Find(""), nullptr);
  EXPECT_EQ(m.index.Find("field:9999")->value, 9999);
}

// Keys that all share a home slot form one long probe run; erasing from its middle must keep
// every later key reachable (backward shift) and leave no tombstone behind.
TEST(StringIndexTest, EraseInsideACollidingRunKeepsTheRestReachable) {
  std::vector<std::unique_ptr<Item>> items;
  Index index;
  for (int i = 0; i < 6; ++i) {
    items.push_back(std::make_unique<Item>(Item{"k" + std::to_string(i), i}));
    index.Insert(items.back().get(), 42);  // same hash: one run
  }
  EXPECT_EQ(index.Erase("k2", 42), items[2].get());
  EXPECT_EQ(index.Find("k2", 42), nullptr);
  for (int i : {0, 1, 3, 4, 5}) EXPECT_EQ(index.Find("k" + std::to_string(i), 42), items[i].get());
  EXPECT_EQ(index.size(), 5u);
}

TEST(StringIndexTest, RandomChurnMatchesAModel) {
  std::mt19937 rng(7);
  Model m;
  for (int round = 0; round < 200000; ++round) {
    const std::string key = "k" + std::to_string(rng() % 3000);
    switch (rng() % 3) {
      case 0:
      case 1:
        m.Insert(key, round);
        break;
      default:
        m.Erase(key);
    }
    if (round % 20000 == 0) m.ExpectMatches();
  }
  m.ExpectMatches();
  for (auto it = m.owned.begin(); it != m.owned.end();) {
    const std::string key = (it++)->first;
    ASSERT_TRUE(m.Erase(key));
  }
  m.ExpectMatches();
  EXPECT_EQ(m.index.size(), 0u);
}

// A queue of keys that keeps moving (add at one end, remove at the other) wraps around the
// table many times; without tombstones nothing accumulates.
TEST(StringIndexTest, QueueChurnWrapsAroundTheTable) {
  Model m;
  for (int i = 0; i < 100; ++i) m.Insert(std::to_string(i), i);
  for (int i = 100; i < 100000; ++i) {
    ASSERT_TRUE(m.Insert(std::to_string(i), i));
    ASSERT_TRUE(m.Erase(std::to_string(i - 100)));
  }
  m.ExpectMatches();
  EXPECT_LE(m.index.slot_bytes(), 256 * 16u);
}

TEST(StringIndexTest, ReserveKeepsEntriesAndClearEmpties) {
  Model m;
  for (int i = 0; i < 100; ++i) m.Insert(std::to_string(i), i);
  m.index.Reserve(100000);
  m.ExpectMatches();
  m.index.Clear();
  EXPECT_EQ(m.index.size(), 0u);
  EXPECT_EQ(m.index.Find("5"), nullptr);
}

}  // namespace
}  // namespace strata
