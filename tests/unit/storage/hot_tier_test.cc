#include "storage/hot_tier.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/hash.h"

namespace strata::storage {
namespace {

HotEntry* Put(HotTier& tier, const std::string& key, const std::string& value = "v") {
  HotEntry* e = tier.Insert(0, KeyHash64(key), key);
  e->value = value;
  tier.Recharge(e);
  return e;
}

TEST(HotTier, BytesFollowInsertsRechargesAndErases) {
  HotTier tier(1);
  size_t empty = tier.bytes();
  HotEntry* e = Put(tier, "key", std::string(1000, 'x'));
  size_t one = tier.bytes();
  EXPECT_GE(one - empty, 1000u + sizeof(HotEntry));
  e->value.assign(100000, 'y');
  tier.Recharge(e);
  EXPECT_GE(tier.bytes() - empty, 100000u);
  tier.Erase(e);
  EXPECT_EQ(tier.bytes(), empty);
  EXPECT_EQ(tier.entries(), 0u);
}

TEST(HotTier, LruEvictsTheLeastRecentlyTouched) {
  HotTier tier(1);
  HotEntry* a = Put(tier, "a");
  HotEntry* b = Put(tier, "b");
  Put(tier, "c");
  tier.Touch(a, 0);  // order now, least recent first: b, c, a
  EXPECT_EQ(tier.PickVictim(config::EvictionPolicy::kAllKeysLru, 0), b);
  tier.Pin(b);  // a staged write is never evicted
  EXPECT_EQ(tier.PickVictim(config::EvictionPolicy::kAllKeysLru, 0)->key(), "c");
  tier.Unpin(b);
}

TEST(HotTier, VolatilePoliciesOnlyPickKeysWithATtl) {
  HotTier tier(1);
  for (int i = 0; i < 50; ++i) Put(tier, "persistent" + std::to_string(i));
  EXPECT_EQ(tier.PickVictim(config::EvictionPolicy::kVolatileLru, 0), nullptr);
  EXPECT_EQ(tier.PickVictim(config::EvictionPolicy::kVolatileTtl, 0), nullptr);
  HotEntry* soon = Put(tier, "soon");
  soon->expire_ms = 100;
  HotEntry* later = Put(tier, "later");
  later->expire_ms = 200;
  for (auto p : {config::EvictionPolicy::kVolatileLru, config::EvictionPolicy::kVolatileRandom,
                 config::EvictionPolicy::kVolatileTtl, config::EvictionPolicy::kVolatileLfu}) {
    HotEntry* v = tier.PickVictim(p, 0);
    ASSERT_NE(v, nullptr);
    EXPECT_NE(v->expire_ms, 0);
  }
  EXPECT_EQ(tier.PickVictim(config::EvictionPolicy::kNoEviction, 0), nullptr);
}

TEST(HotTier, ScanVisitsEveryKeyOnceAcrossGrowth) {
  HotTier tier(1);
  for (int i = 0; i < 100; ++i) Put(tier, "k" + std::to_string(i));
  std::multiset<std::string> seen;
  uint64_t cursor = 0;
  int added = 0;
  do {
    cursor =
        tier.table(0).Scan(cursor, 10, [&](HotEntry* e) { seen.insert(std::string(e->key())); });
    // The table doubles several times while the scan is in progress.
    for (int i = 0; i < 100; ++i) Put(tier, "new" + std::to_string(added++));
  } while (cursor != 0);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(seen.count("k" + std::to_string(i)), 1u) << i;
}

TEST(HotTier, LfuPrefersRarelyUsedKeys) {
  HotTier tier(1);
  tier.set_track_lfu(true);
  HotEntry* hot = Put(tier, "hot");
  for (int i = 0; i < 2000; ++i) tier.Touch(hot, 0);
  for (int i = 0; i < 20; ++i) Put(tier, "cold" + std::to_string(i));
  for (int i = 0; i < 20; ++i) {
    HotEntry* v = tier.PickVictim(config::EvictionPolicy::kAllKeysLfu, 0);
    ASSERT_NE(v, nullptr);
    EXPECT_NE(v, hot);
  }
}

}  // namespace
}  // namespace strata::storage
