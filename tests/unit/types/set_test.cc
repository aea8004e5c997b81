// The set type on its own: the in-memory object (dense random access, Redis's intset order,
// accounting) and SetHandle in both profiles, held whole and (session) through the on-disk
// path, including random picks, pops and scans of a set past the hot limit.
#include "types/set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "testing/temp_dir.h"
#include "types/type_errors.h"

namespace strata::types {
namespace {

using storage::Keyspace;
using ::strata::testing::TempDir;

std::vector<std::string> AsStrings(const std::vector<std::string_view>& views) {
  return std::vector<std::string>(views.begin(), views.end());
}

TEST(SetObjectTest, InsertEraseAndDenseAccess) {
  SetObject obj;
  const size_t empty = obj.Bytes();
  EXPECT_TRUE(obj.Insert("a"));
  EXPECT_TRUE(obj.Insert("b"));
  EXPECT_FALSE(obj.Insert("a"));
  EXPECT_TRUE(obj.Insert("c"));
  EXPECT_EQ(obj.size(), 3u);
  EXPECT_TRUE(obj.Erase("a"));
  EXPECT_FALSE(obj.Erase("a"));
  EXPECT_FALSE(obj.Contains("a"));
  EXPECT_TRUE(obj.Contains("b"));
  std::set<std::string> seen;
  for (size_t i = 0; i < obj.size(); ++i) seen.emplace(obj.At(i));
  EXPECT_EQ(seen, (std::set<std::string>{"b", "c"}));
  EXPECT_GT(obj.Bytes(), empty);
  obj.Erase("b");
  obj.Erase("c");
  EXPECT_EQ(obj.Bytes(), empty);
}

// Redis 7.0 keeps a set of at most 512 integers as a sorted intset: it lists in numeric order,
// and loses that encoding for good once a string is added or it grows past 512.
TEST(SetObjectTest, IntsetOrderAsRedis) {
  SetObject obj;
  for (const char* m : {"10", "-5", "3", "1000000000000", "0"}) obj.Insert(m);
  EXPECT_TRUE(obj.intset());
  EXPECT_EQ(AsStrings(obj.Members()),
            (std::vector<std::string>{"-5", "0", "3", "10", "1000000000000"}));
  obj.Insert("x");
  EXPECT_FALSE(obj.intset());
  obj.Erase("x");
  EXPECT_FALSE(obj.intset());  // as Redis: the hash table encoding stays

  SetObject not_canonical;
  not_canonical.Insert("1");
  not_canonical.Insert("01");  // not an integer to Redis (leading zero)
  EXPECT_FALSE(not_canonical.intset());

  SetObject big;
  for (int i = 0; i < 512; ++i) big.Insert(std::to_string(511 - i));
  EXPECT_TRUE(big.intset());
  EXPECT_EQ(big.Members().front(), "0");
  EXPECT_EQ(big.Members().back(), "511");
  big.Insert("512");
  EXPECT_FALSE(big.intset());
}

TEST(SetObjectTest, CloneIsIndependentAndKeepsTheEncoding) {
  SetObject obj;
  for (int i = 0; i < 1000; ++i) obj.Insert("m" + std::to_string(i));
  for (int i = 0; i < 1000; i += 3) ASSERT_TRUE(obj.Erase("m" + std::to_string(i)));
  EXPECT_EQ(obj.size(), 666u);
  auto clone = obj.Clone();
  EXPECT_EQ(clone->Bytes(), obj.Bytes());
  auto* copy = static_cast<SetObject*>(clone.get());
  EXPECT_FALSE(copy->intset());
  for (int i = 0; i < 1000; ++i) obj.Erase("m" + std::to_string(i));
  EXPECT_EQ(obj.size(), 0u);
  EXPECT_EQ(copy->size(), 666u);
  EXPECT_TRUE(copy->Contains("m1"));
  EXPECT_FALSE(copy->Contains("m0"));
}

TEST(SetHelpersTest, IntsetEligibleAndNumericSort) {
  std::vector<std::string> ints = {"3", "-1", "20"};
  EXPECT_TRUE(IntsetEligible(ints));
  SortNumerically(&ints);
  EXPECT_EQ(ints, (std::vector<std::string>{"-1", "3", "20"}));
  EXPECT_FALSE(IntsetEligible({"1", "a"}));
  EXPECT_FALSE(IntsetEligible({"1", " 2"}));
  std::vector<std::string> many;
  for (int i = 0; i < 513; ++i) many.push_back(std::to_string(i));
  EXPECT_FALSE(IntsetEligible(many));
}

class SetTest : public ::testing::TestWithParam<config::Profile> {
 protected:
  SetTest() { Open(); }

  void Open() {
    ks_.reset();
    storage::KeyspaceOptions o;
    o.profile = GetParam();
    o.path = dir_.path() + "/db";
    o.databases = 2;
    o.clock = &clock_;
    auto ks = Keyspace::Open(o);
    ASSERT_TRUE(ks.ok()) << ks.status().ToString();
    ks_ = std::move(*ks);
    ks_->SetCommandTime(clock_.NowMs());
  }
  SetHandle OpenSet(std::string_view key = "s") {
    ks_->SetCommandTime(clock_.NowMs());
    auto s = SetHandle::Open(*ks_, 0, key, true);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(*s);
  }
  void Commit() { ASSERT_TRUE(ks_->Commit().ok()); }
  // Fills `key` with members m<i>, 100 per command.
  void Fill(int n, std::string_view key = "s") {
    for (int start = 0; start < n; start += 100) {
      std::vector<std::string> storage;
      for (int i = start; i < std::min(n, start + 100); ++i)
        storage.push_back("m" + std::to_string(i));
      std::vector<std::string_view> members(storage.begin(), storage.end());
      SetHandle s = OpenSet(key);
      ASSERT_TRUE(s.Add(members).ok());
      Commit();
    }
  }
  bool HeldWhole(std::string_view key = "s") {
    auto e = ks_->Peek(0, key);
    return e.ok() && *e != nullptr && (*e)->object != nullptr;
  }
  std::set<std::string> AllMembers(std::string_view key = "s") {
    SetHandle s = OpenSet(key);
    auto m = s.Members();
    EXPECT_TRUE(m.ok());
    return std::set<std::string>(m->begin(), m->end());
  }

  TempDir dir_{"set"};  // before ks_, so the directory outlives the open Keyspace
  FakeClock clock_;
  std::unique_ptr<Keyspace> ks_;
};

TEST_P(SetTest, AddRemoveContainsAndSize) {
  SetHandle s = OpenSet();
  EXPECT_FALSE(s.exists());
  EXPECT_EQ(*s.Add({"a", "b", "a", "c"}), 3);
  EXPECT_EQ(*s.Add({"a", "d"}), 1);
  EXPECT_EQ(s.size(), 4u);
  EXPECT_TRUE(*s.Contains("d"));
  EXPECT_FALSE(*s.Contains("z"));
  EXPECT_EQ(*s.Remove({"a", "z", "a"}), 1);
  Commit();
  SetHandle again = OpenSet();
  EXPECT_EQ(again.size(), 3u);
  EXPECT_EQ(AllMembers(), (std::set<std::string>{"b", "c", "d"}));
  EXPECT_EQ(*again.Remove({"b", "c", "d"}), 3);
  EXPECT_FALSE(again.exists());
  Commit();
  EXPECT_FALSE(OpenSet().exists());
  EXPECT_EQ(ks_->KeyCount(0), 0u);
}

TEST_P(SetTest, OtherTypesAreWrongType) {
  ks_->PutString(0, "str", "v", 0);
  auto s = SetHandle::Open(*ks_, 0, "str");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), kWrongTypeText);
}

TEST_P(SetTest, IntegerSetsListInNumericOrderAfterReload) {
  SetHandle s = OpenSet();
  ASSERT_TRUE(s.Add({"30", "-2", "7"}).ok());
  Commit();
  Open();  // cache: the keyspace is empty again; session: reloaded from disk
  if (GetParam() == config::Profile::kCache) {
    EXPECT_FALSE(OpenSet().exists());
    return;
  }
  SetHandle loaded = OpenSet();
  EXPECT_TRUE(loaded.intset());
  EXPECT_EQ(*loaded.Members(), (std::vector<std::string>{"-2", "7", "30"}));
}

TEST_P(SetTest, RandomCountsAndDistinctness) {
  Fill(10);
  SetHandle s = OpenSet();
  EXPECT_TRUE(s.Random(0, true)->empty());
  EXPECT_EQ(s.Random(100, true)->size(), 10u);
  for (uint64_t count : {1, 3, 4, 9}) {
    auto picked = s.Random(count, true);
    ASSERT_TRUE(picked.ok());
    std::set<std::string> distinct(picked->begin(), picked->end());
    EXPECT_EQ(distinct.size(), count);
    for (const auto& m : distinct) EXPECT_TRUE(*s.Contains(m));
  }
  auto repeated = s.Random(50, false);
  ASSERT_EQ(repeated->size(), 50u);
  std::set<std::string> seen(repeated->begin(), repeated->end());
  EXPECT_GT(seen.size(), 1u);  // 50 draws from 10 members: all equal has probability 10^-49
}

TEST_P(SetTest, PopRemovesWhatItReturns) {
  Fill(20);
  SetHandle s = OpenSet();
  auto popped = s.Pop(5);
  ASSERT_TRUE(popped.ok());
  EXPECT_EQ(popped->size(), 5u);
  EXPECT_EQ(s.size(), 15u);
  Commit();
  std::set<std::string> left = AllMembers();
  EXPECT_EQ(left.size(), 15u);
  for (const auto& m : *popped) EXPECT_EQ(left.count(m), 0u) << m;
  SetHandle rest = OpenSet();
  EXPECT_EQ(rest.Pop(100)->size(), 15u);
  EXPECT_FALSE(rest.exists());
  Commit();
  EXPECT_EQ(ks_->KeyCount(0), 0u);
}

TEST_P(SetTest, ScanOfASmallSetIsOnePage) {
  Fill(20);
  SetHandle s = OpenSet();
  auto page = s.Scan(0, 5);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->next_cursor, 0u);
  EXPECT_EQ(page->members.size(), 20u);
}

TEST_P(SetTest, StoreReplacesAnyTypeAndEmptyDeletes) {
  ks_->PutString(0, "dst", "string", clock_.NowMs() + 100000);
  auto size = SetHandle::Store(*ks_, 0, "dst", {"x", "y", "x"});
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 2);
  Commit();
  auto e = ks_->Peek(0, "dst");
  ASSERT_TRUE(e.ok() && *e != nullptr);
  EXPECT_EQ((*e)->type, storage::ValueType::kSet);
  EXPECT_EQ((*e)->expire_ms, 0);
  EXPECT_EQ(AllMembers("dst"), (std::set<std::string>{"x", "y"}));
  EXPECT_EQ(*SetHandle::Store(*ks_, 0, "dst", {}), 0);
  Commit();
  EXPECT_FALSE(OpenSet("dst").exists());
}

// A set past 2 * kHotCollectionLimit: held whole in the cache profile, on disk only in the
// session profile. Every operation gives the same answers either way, and survives a reopen.
TEST_P(SetTest, BigSetWorksThroughTheOnDiskPath) {
  Fill(1500);
  EXPECT_EQ(HeldWhole(), GetParam() == config::Profile::kCache);
  SetHandle s = OpenSet();
  EXPECT_EQ(s.size(), 1500u);
  EXPECT_TRUE(*s.Contains("m1499"));
  EXPECT_FALSE(*s.Contains("m1500"));
  EXPECT_EQ(*s.Add({"m1", "extra"}), 1);
  EXPECT_EQ(*s.Remove({"extra", "m0", "nope"}), 2);
  EXPECT_EQ(s.size(), 1499u);
  Commit();

  // Full scan: every member exactly once, in pages.
  std::map<std::string, int> seen;
  uint64_t cursor = 0;
  int pages = 0;
  do {
    SetHandle h = OpenSet();
    auto page = h.Scan(cursor, 100);
    ASSERT_TRUE(page.ok());
    for (const auto& m : page->members) ++seen[m];
    cursor = page->next_cursor;
    ++pages;
  } while (cursor != 0 && pages < 1000);
  EXPECT_EQ(seen.size(), 1499u);
  for (const auto& [m, n] : seen) EXPECT_EQ(n, 1) << m;
  EXPECT_GE(pages, 15);

  SetHandle r = OpenSet();
  for (uint64_t count : {1u, 20u, 600u, 1400u}) {
    auto picked = r.Random(count, true);
    ASSERT_TRUE(picked.ok());
    std::set<std::string> distinct(picked->begin(), picked->end());
    EXPECT_EQ(distinct.size(), count);
    for (const auto& m : distinct) EXPECT_EQ(seen.count(m), 1u) << m;
  }
  EXPECT_EQ(r.Random(5000, true)->size(), 1499u);
  auto repeated = r.Random(3000, false);
  ASSERT_EQ(repeated->size(), 3000u);
  for (const auto& m : *repeated) EXPECT_EQ(seen.count(m), 1u) << m;

  auto popped = r.Pop(30);
  ASSERT_TRUE(popped.ok());
  EXPECT_EQ(std::set<std::string>(popped->begin(), popped->end()).size(), 30u);
  EXPECT_EQ(r.size(), 1469u);
  Commit();

  Open();
  if (GetParam() == config::Profile::kCache) return;  // nothing survives a restart in memory
  std::set<std::string> after = AllMembers();
  EXPECT_EQ(after.size(), 1469u);
  EXPECT_EQ(OpenSet().size(), 1469u);
  for (const auto& m : *popped) EXPECT_EQ(after.count(m), 0u) << m;
  EXPECT_EQ(after.count("m0"), 0u);
  // Pop picks at random (the member index is keyed per process): m1 stays unless it was picked.
  const bool m1_popped = std::find(popped->begin(), popped->end(), "m1") != popped->end();
  EXPECT_EQ(after.count("m1"), m1_popped ? 0u : 1u);

  // Popping everything deletes the key and its sub-keys' version.
  SetHandle all = OpenSet();
  EXPECT_EQ(all.Pop(100000)->size(), 1469u);
  Commit();
  Open();
  EXPECT_FALSE(OpenSet().exists());
  EXPECT_EQ(ks_->KeyCount(0), 0u);
}

// A durable set shrinking back under the hot limit is held whole again when next opened.
TEST_P(SetTest, ShrunkSetIsLoadedWhole) {
  if (GetParam() == config::Profile::kCache) GTEST_SKIP() << "always held whole";
  Fill(1100);
  EXPECT_FALSE(HeldWhole());
  SetHandle s = OpenSet();
  ASSERT_EQ(s.Pop(700)->size(), 700u);
  Commit();
  SetHandle again = OpenSet();
  EXPECT_TRUE(HeldWhole());
  EXPECT_EQ(again.size(), 400u);
  EXPECT_EQ(again.Members()->size(), 400u);
}

INSTANTIATE_TEST_SUITE_P(Profiles, SetTest,
                         ::testing::Values(config::Profile::kCache, config::Profile::kSession),
                         [](const auto& info) {
                           return std::string(config::ProfileName(info.param));
                         });

}  // namespace
}  // namespace strata::types
