// SubKeyChanges (collection.h): a held-whole collection's deferred changes, and the coalescing
// a checkpoint applies to them. Applying what ForEachFinal emits must leave every key as
// applying all the changes in order would, given that a fresh put finds its key absent.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "storage/collection.h"

namespace strata::storage {
namespace {

struct Emitted {
  uint8_t cf;
  std::string key;
  std::optional<std::string> value;  // nullopt: a delete
  bool operator==(const Emitted&) const = default;
};

std::vector<Emitted> Final(const SubKeyChanges& c) {
  std::vector<Emitted> out;
  c.ForEachFinal([&](uint8_t cf, std::string_view key, const std::string_view* value) {
    out.push_back({cf, std::string(key),
                   value ? std::optional<std::string>(std::string(*value)) : std::nullopt});
  });
  return out;
}

TEST(SubKeyChanges, AKeyCreatedAndDeletedAgainIsNotWrittenAtAll) {
  SubKeyChanges c;
  c.Put(3, "job1", "a", /*fresh=*/true);
  c.Put(3, "job2", "b", true);
  c.Delete(3, "job1");
  EXPECT_EQ(c.count(), 3u);
  EXPECT_EQ(Final(c), (std::vector<Emitted>{{3, "job2", "b"}}));
}

TEST(SubKeyChanges, ADeleteOfWhatMayBeOnDiskIsKept) {
  SubKeyChanges c;
  c.Put(3, "f", "a", /*fresh=*/false);  // an overwrite: RocksDB may hold an older value
  c.Delete(3, "f");
  c.Delete(3, "g");
  EXPECT_EQ(Final(c), (std::vector<Emitted>{{3, "f", std::nullopt}, {3, "g", std::nullopt}}));
}

TEST(SubKeyChanges, OnlyTheFirstChangeOfAKeyDecidesWhetherItWasCreated) {
  SubKeyChanges c;
  c.Delete(3, "m");          // was on disk
  c.Put(3, "m", "x", true);  // absent after the delete, so fresh
  c.Delete(3, "m");
  EXPECT_EQ(Final(c), (std::vector<Emitted>{{3, "m", std::nullopt}}));
}

TEST(SubKeyChanges, TheLastValueWinsInTheOrderOfLastChanges) {
  SubKeyChanges c;
  c.Put(3, "a", "1", true);
  c.Put(3, "b", "1", true);
  c.Put(3, "a", "2", false);
  c.Put(4, "a", "score-index", true);  // same bytes, other column family: another key
  EXPECT_EQ(Final(c),
            (std::vector<Emitted>{{3, "b", "1"}, {3, "a", "2"}, {4, "a", "score-index"}}));
}

TEST(SubKeyChanges, ACopyStartsEmptyAndTakeFromAppends) {
  SubKeyChanges a;
  a.Put(3, "k", "v", true);
  SubKeyChanges copy(a);
  EXPECT_TRUE(copy.empty());
  SubKeyChanges b;
  b.Delete(3, "k");
  a.TakeFrom(&b);
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(a.count(), 2u);
  EXPECT_TRUE(Final(a).empty());  // created, then deleted
}

TEST(SubKeyChanges, CoalesceKeepsWhatSurvivesAndRemembersWhatWasCreated) {
  SubKeyChanges c;
  c.Put(3, "a", "1", /*fresh=*/true);
  c.Put(3, "b", "1", false);
  c.Delete(3, "a");
  c.Put(3, "c", "1", true);
  c.Coalesce();
  EXPECT_EQ(c.count(), 2u);
  EXPECT_EQ(Final(c), (std::vector<Emitted>{{3, "b", "1"}, {3, "c", "1"}}));
  // "c" was created in this window: deleting it later still cancels it.
  c.Delete(3, "c");
  c.Delete(3, "b");
  EXPECT_EQ(Final(c), (std::vector<Emitted>{{3, "b", std::nullopt}}));
}

TEST(SubKeyChanges, ForEachFromVisitsEveryChangeOnceInParts) {
  SubKeyChanges c;
  for (int i = 0; i < 10; ++i) c.Put(3, "k" + std::to_string(i), std::to_string(i), true);
  c.Delete(3, "k3");
  std::vector<std::string> seen;
  size_t offset = 0, calls = 0;
  while (offset < c.bytes()) {
    offset =
        c.ForEachFrom(offset, 4, [&](uint8_t, std::string_view key, const std::string_view* v) {
          seen.push_back(std::string(key) + (v ? "=" + std::string(*v) : " deleted"));
        });
    ++calls;
  }
  EXPECT_EQ(calls, 3u);
  ASSERT_EQ(seen.size(), 11u);
  EXPECT_EQ(seen.front(), "k0=0");
  EXPECT_EQ(seen.back(), "k3 deleted");
}

// Random puts and deletes over a few keys, tracking which are present as a collection would
// (a put is fresh exactly when the key is absent): the coalesced changes applied over any
// starting state that agrees with the first changes give the same result as all of them.
TEST(SubKeyChanges, CoalescedChangesApplyLikeAllOfThem) {
  std::mt19937 rng(11);
  for (int round = 0; round < 500; ++round) {
    std::map<std::string, std::string> start;  // what RocksDB holds before
    for (int k = 0; k < 6; ++k) {
      if (rng() % 2) start["k" + std::to_string(k)] = "old";
    }
    std::map<std::string, std::string> present = start;  // the collection's view
    SubKeyChanges c;
    std::map<std::string, std::string> all = start;
    for (int i = 0; i < 20; ++i) {
      if (i == 10 && round % 2 == 0) c.Coalesce();  // mid-way, as a busy key does
      std::string key = "k" + std::to_string(rng() % 6);
      if (rng() % 3 == 0) {
        c.Delete(3, key);
        present.erase(key);
        all.erase(key);
      } else {
        std::string v = std::to_string(rng() % 100);
        c.Put(3, key, v, /*fresh=*/present.count(key) == 0);
        present[key] = v;
        all[key] = v;
      }
    }
    std::map<std::string, std::string> coalesced = start;
    c.ForEachFinal([&](uint8_t, std::string_view key, const std::string_view* value) {
      if (value) {
        coalesced[std::string(key)] = std::string(*value);
      } else {
        coalesced.erase(std::string(key));
      }
    });
    ASSERT_EQ(coalesced, all) << "round " << round;
  }
}

}  // namespace
}  // namespace strata::storage
