// The sorted-set type on its own: the score encoding's order, the in-memory object, and the
// ZSet handle against a std::set model in the cache profile (held whole), the session profile
// with a small set (held whole, written through) and with a big one (only the header hot:
// every operation walks or point-reads sub-keys). In the session profile the sub-keys on disk
// must afterwards be exactly the model's, in both column families.
#include "types/zset.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "testing/temp_dir.h"
#include "types/score_codec.h"

namespace strata::types {
namespace {

using ::strata::testing::TempDir;

constexpr double kInf = std::numeric_limits<double>::infinity();

// ---- Score encoding --------------------------------------------------------------------------

TEST(ScoreCodecTest, BytewiseOrderIsNumericOrder) {
  const std::vector<double> ascending = {-kInf,     -1e308, -2.5,     -1,     -1e-300,
                                         -4.9e-324, 0,      4.9e-324, 1e-300, 0.5,
                                         1,         2,      1e15,     1e308,  kInf};
  for (size_t i = 0; i + 1 < ascending.size(); ++i) {
    EXPECT_LT(EncodeScore(ascending[i]), EncodeScore(ascending[i + 1]))
        << ascending[i] << " vs " << ascending[i + 1];
  }
  for (double d : ascending) {
    std::string e = EncodeScore(d);
    ASSERT_EQ(e.size(), kEncodedScoreSize);
    EXPECT_EQ(DecodeScore(e.data()), d);
  }
}

TEST(ScoreCodecTest, NegativeZeroIsZero) {
  EXPECT_EQ(EncodeScore(-0.0), EncodeScore(0.0));
  double back = DecodeScore(EncodeScore(-0.0).data());
  EXPECT_EQ(back, 0.0);
  EXPECT_FALSE(std::signbit(back));
}

TEST(ScoreCodecTest, RandomPairsKeepTheirOrder) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> dist(-1e6, 1e6);
  for (int i = 0; i < 10000; ++i) {
    double a = dist(rng), b = dist(rng);
    if (i % 3 == 0) b = a;
    EXPECT_EQ(a < b, EncodeScore(a) < EncodeScore(b));
    EXPECT_EQ(a == b, EncodeScore(a) == EncodeScore(b));
  }
}

TEST(ScoreCodecTest, EqualScoresOrderByMemberInScoreSubKeys) {
  // The kScore sub-key is encoded score | member: equal scores fall back to member bytes.
  EXPECT_LT(ZSetScoreSubKey(1, "a"), ZSetScoreSubKey(1, "b"));
  EXPECT_LT(ZSetScoreSubKey(1, "a"), ZSetScoreSubKey(1, "aa"));
  EXPECT_LT(ZSetScoreSubKey(1, "zzz"), ZSetScoreSubKey(2, "a"));
  EXPECT_LT(ZSetScoreSubKey(-kInf, "z"), ZSetScoreSubKey(-1e308, "a"));
  EXPECT_LT(ZSetScoreSubKey(1e308, "z"), ZSetScoreSubKey(kInf, ""));
  EXPECT_LT(ZSetScoreSubKey(-3, "\xff"), ZSetScoreSubKey(-2, "\x01"));
  // Member bytes compare unsigned, as Redis's memcmp.
  EXPECT_LT(ZSetScoreSubKey(0, "\x7f"), ZSetScoreSubKey(0, "\x80"));
}

// ---- ZSetObject ------------------------------------------------------------------------------

TEST(ZSetObjectTest, BothIndexesAgreeThroughUpdates) {
  ZSetObject obj;
  const size_t empty = obj.Bytes();
  EXPECT_TRUE(obj.Set("b", 2));
  EXPECT_TRUE(obj.Set("a", 2));
  EXPECT_TRUE(obj.Set("c", -1));
  EXPECT_FALSE(obj.Set("c", 5));
  EXPECT_FALSE(obj.Set("c", 5));
  std::vector<std::string> order;
  for (const auto& [score, member] : obj.ordered()) order.emplace_back(member);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(obj.Score("c"), 5);
  EXPECT_EQ(obj.Score("x"), std::nullopt);
  EXPECT_TRUE(obj.Erase("a"));
  EXPECT_FALSE(obj.Erase("a"));
  EXPECT_EQ(obj.ordered().size(), 2u);
  EXPECT_TRUE(obj.Erase("b"));
  EXPECT_TRUE(obj.Erase("c"));
  EXPECT_EQ(obj.Bytes(), empty);
}

// The order views the members' keys in the score map: a copy (COPY in the cache profile) must
// view its own, and outlive the original.
TEST(ZSetObjectTest, ACopyOwnsItsMembers) {
  auto original = std::make_unique<ZSetObject>();
  original->Set("member-with-a-long-name-1", 1);
  original->Set("member-with-a-long-name-2", 2);
  std::unique_ptr<storage::HotObject> copy = original->Clone();
  original->Set("member-with-a-long-name-1", 3);
  original.reset();
  const auto& z = static_cast<const ZSetObject&>(*copy);
  std::vector<std::pair<double, std::string>> got;
  for (const auto& [score, member] : z.ordered()) got.emplace_back(score, member);
  EXPECT_EQ(got, (std::vector<std::pair<double, std::string>>{{1, "member-with-a-long-name-1"},
                                                              {2, "member-with-a-long-name-2"}}));
  EXPECT_EQ(z.Score("member-with-a-long-name-2"), 2);
}

TEST(ZSetObjectTest, ScoreBoundsFindRangeEdges) {
  ZSetObject obj;
  obj.Set("a", 1);
  obj.Set("b", 2);
  obj.Set("c", 2);
  obj.Set("d", 3);
  const auto& s = obj.ordered();
  EXPECT_EQ(s.lower_bound(ScoreBound{2, false})->second, "b");
  EXPECT_EQ(s.lower_bound(ScoreBound{2, true})->second, "d");
  EXPECT_EQ(s.lower_bound(ScoreBound{-kInf, false})->second, "a");
  EXPECT_EQ(s.lower_bound(ScoreBound{kInf, false}), s.end());
}

// ---- ZSet against a model --------------------------------------------------------------------

struct Config {
  config::Profile profile;
  int initial;  // members before the random operations
};

class ZSetModelTest : public ::testing::TestWithParam<Config> {
 protected:
  ZSetModelTest() {
    storage::KeyspaceOptions options;
    options.profile = GetParam().profile;
    options.path = dir_.path() + "/data";
    options.clock = &clock_;
    auto opened = storage::Keyspace::Open(options);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    ks_ = std::move(*opened);
  }
  ZSet Open() {
    auto z = ZSet::Open(*ks_, 0, "z", /*for_write=*/true);
    EXPECT_TRUE(z.ok());
    return std::move(*z);
  }
  void Commit() { ASSERT_TRUE(ks_->Commit().ok()); }

  void ModelSet(const std::string& m, double s) {
    if (s == 0) s = 0.0;
    auto it = scores_.find(m);
    if (it != scores_.end()) ordered_.erase({it->second, m});
    scores_[m] = s;
    ordered_.insert({s, m});
  }
  void ModelErase(const std::string& m) {
    auto it = scores_.find(m);
    if (it == scores_.end()) return;
    ordered_.erase({it->second, m});
    scores_.erase(it);
  }
  std::vector<ScoredMember> ModelAll(bool reverse) const {
    std::vector<ScoredMember> out;
    for (const auto& [s, m] : ordered_) out.push_back({m, s});
    if (reverse) std::reverse(out.begin(), out.end());
    return out;
  }

  // The sub-keys on disk are exactly the model's (session profile), once the changes a
  // checkpoint defers are written: whether one is under way depends on the heap the whole
  // test process uses, not on this set.
  void CheckDisk() {
    if (!ks_->durable()) return;
    ASSERT_TRUE(ks_->Save().ok());
    auto e = ks_->Peek(0, "z");
    ASSERT_TRUE(e.ok());
    if (scores_.empty()) {
      EXPECT_EQ(*e, nullptr);
      return;
    }
    ASSERT_NE(*e, nullptr);
    EXPECT_EQ(ks_->Header(*e).size, scores_.size());
    auto data = ks_->NewSubIterator(*e, storage::Keyspace::SubCf::kData);
    ASSERT_TRUE(data.ok());
    std::map<std::string, double> on_disk;
    for ((*data)->SeekToFirst(); (*data)->Valid(); (*data)->Next()) {
      std::string sub((*data)->sub());
      ASSERT_EQ(sub, ZSetMemberSubKey(sub.substr(8)));
      on_disk[sub.substr(8)] = DecodeScore((*data)->value().data());
    }
    EXPECT_EQ(on_disk, scores_);
    auto score = ks_->NewSubIterator(*e, storage::Keyspace::SubCf::kScore);
    ASSERT_TRUE(score.ok());
    std::vector<std::string> keys;
    for ((*score)->SeekToFirst(); (*score)->Valid(); (*score)->Next()) {
      keys.emplace_back((*score)->sub());
    }
    // kScore is the order of a set that may not be held whole, and only of such a set (once
    // built, it is kept as the set shrinks).
    const bool indexed = ks_->Header(*e).score_index;
    if (scores_.size() > ks_->hot_collection_limit()) {
      EXPECT_TRUE(indexed);
    }
    std::vector<std::string> expected;
    if (indexed) {
      for (const auto& [s, m] : ordered_) expected.push_back(ZSetScoreSubKey(s, m));
    }
    EXPECT_EQ(keys, expected);
  }

  FakeClock clock_;
  TempDir dir_{"zset"};  // before ks_, so the directory outlives the open Keyspace
  std::unique_ptr<storage::Keyspace> ks_;
  std::map<std::string, double> scores_;
  std::set<std::pair<double, std::string>> ordered_;
};

TEST_P(ZSetModelTest, RandomOperationsMatchTheModel) {
  std::mt19937_64 rng(42);
  const std::vector<double> score_pool = {-kInf, -3, -1.5, -0.0, 0, 1, 2, 2.5, 7, 1e10, kInf};
  auto random_score = [&] { return score_pool[rng() % score_pool.size()]; };
  const int universe = GetParam().initial + 40;
  auto random_member = [&] { return "m" + std::to_string(rng() % universe); };

  {
    std::vector<std::pair<double, std::string>> owned;
    for (int i = 0; i < GetParam().initial; ++i)
      owned.emplace_back(random_score(), "m" + std::to_string(i));
    std::vector<std::pair<double, std::string_view>> items(owned.begin(), owned.end());
    ZSet z = Open();
    auto r = z.Add(items, {});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->added, GetParam().initial);
    for (const auto& [s, m] : owned) ModelSet(m, s);
    Commit();
  }
  if (GetParam().initial > 2 * 512 && ks_->durable()) {
    auto e = ks_->Peek(0, "z");
    ASSERT_TRUE(e.ok());
    EXPECT_EQ((*e)->object, nullptr) << "a big durable set must not be held whole";
  }

  for (int step = 0; step < 300; ++step) {
    ZSet z = Open();
    const int op = static_cast<int>(rng() % 9);
    SCOPED_TRACE("step " + std::to_string(step) + " op " + std::to_string(op));
    if (op == 0) {  // ZADD with random flags
      ZAddFlags f;
      f.xx = rng() % 4 == 0;
      f.gt = !f.xx && rng() % 4 == 0;
      f.lt = !f.gt && rng() % 4 == 0;
      std::string m = random_member();
      double s = random_score();
      auto r = z.Add({{s, m}}, f);
      ASSERT_TRUE(r.ok());
      auto it = scores_.find(m);
      if (it == scores_.end()) {
        if (!f.xx) ModelSet(m, s);
        EXPECT_EQ(r->added, f.xx ? 0 : 1);
      } else if (!((f.gt && s <= it->second) || (f.lt && s >= it->second))) {
        EXPECT_EQ(r->updated, s != it->second ? 1 : 0);
        ModelSet(m, s);
      }
    } else if (op == 1) {  // ZINCRBY
      std::string m = random_member();
      double by = std::isinf(random_score()) ? 1 : random_score();
      auto r = z.Add({{by, m}}, {.incr = true});
      double expect = scores_.count(m) ? scores_[m] + by : by;
      if (std::isnan(expect)) {
        EXPECT_FALSE(r.ok());
      } else {
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(r->last_score, expect);
        ModelSet(m, expect);
      }
    } else if (op == 2) {  // ZREM
      std::string a = random_member(), b = random_member();
      auto r = z.Remove({a, b, a});
      ASSERT_TRUE(r.ok());
      int64_t expect = static_cast<int64_t>(scores_.count(a) + (a != b ? scores_.count(b) : 0));
      EXPECT_EQ(*r, expect);
      ModelErase(a);
      ModelErase(b);
    } else if (op == 3) {  // ranks and scores
      std::string m = random_member();
      auto rank = z.Rank(m, false);
      auto rev = z.Rank(m, true);
      auto score = z.Score(m);
      ASSERT_TRUE(rank.ok() && rev.ok() && score.ok());
      auto it = scores_.find(m);
      if (it == scores_.end()) {
        EXPECT_FALSE(*rank);
        EXPECT_FALSE(*score);
      } else {
        int64_t r = std::distance(ordered_.begin(), ordered_.find({it->second, m}));
        EXPECT_EQ(**rank, r);
        EXPECT_EQ(**rev, static_cast<int64_t>(scores_.size()) - 1 - r);
        EXPECT_EQ(**score, it->second);
      }
    } else if (op == 4) {  // ZRANGE by rank, both directions
      const int64_t n = static_cast<int64_t>(scores_.size());
      int64_t start = static_cast<int64_t>(rng() % (n + 5)) - 3;
      int64_t stop = static_cast<int64_t>(rng() % (n + 5)) - 3;
      bool reverse = rng() % 2;
      auto r = z.RangeByRank(start, stop, reverse);
      ASSERT_TRUE(r.ok());
      auto all = ModelAll(reverse);
      int64_t s = start < 0 ? std::max<int64_t>(0, start + n) : start;
      int64_t e = stop < 0 ? stop + n : std::min(stop, n - 1);
      std::vector<ScoredMember> expect;
      for (int64_t i = s; i <= e && i < n; ++i) expect.push_back(all[static_cast<size_t>(i)]);
      EXPECT_EQ(*r, expect);
    } else if (op == 5) {  // ZRANGEBYSCORE with exclusive bounds and LIMIT
      ScoreRange range{random_score(), random_score(), rng() % 2 == 0, rng() % 2 == 0};
      bool reverse = rng() % 2;
      int64_t offset = static_cast<int64_t>(rng() % 3);
      int64_t limit = static_cast<int64_t>(rng() % 5) - 1;
      auto r = z.RangeByScore(range, reverse, offset, limit);
      ASSERT_TRUE(r.ok());
      std::vector<ScoredMember> expect;
      for (const ScoredMember& m : ModelAll(reverse)) {
        if (range.AboveMin(m.score) && range.BelowMax(m.score)) expect.push_back(m);
      }
      expect.erase(expect.begin(), expect.begin() + std::min<size_t>(offset, expect.size()));
      if (limit >= 0 && expect.size() > static_cast<size_t>(limit)) expect.resize(limit);
      EXPECT_EQ(*r, expect);
      auto count = z.CountByScore(range);
      ASSERT_TRUE(count.ok());
      int64_t in = 0;
      for (const auto& [s, m] : ordered_) in += range.AboveMin(s) && range.BelowMax(s);
      EXPECT_EQ(*count, in);
    } else if (op == 6) {  // ZPOPMIN / ZPOPMAX
      bool max = rng() % 2;
      uint64_t count = rng() % 4;
      auto r = max ? z.PopMax(count) : z.PopMin(count);
      ASSERT_TRUE(r.ok());
      auto all = ModelAll(max);
      all.resize(std::min<size_t>(count, all.size()));
      EXPECT_EQ(*r, all);
      for (const ScoredMember& m : all) ModelErase(m.member);
    } else if (op == 7) {  // ZREMRANGEBYSCORE over a narrow band
      double s = random_score();
      auto r = z.RemoveRangeByScore({s, s, false, false});
      ASSERT_TRUE(r.ok());
      int64_t removed = 0;
      for (auto it = ordered_.begin(); it != ordered_.end();) {
        if (it->first == s) {
          scores_.erase(it->second);
          it = ordered_.erase(it);
          ++removed;
        } else {
          ++it;
        }
      }
      EXPECT_EQ(*r, removed);
    } else {  // ZREMRANGEBYRANK of one element in the middle
      const int64_t n = static_cast<int64_t>(scores_.size());
      if (n == 0) continue;
      int64_t at = static_cast<int64_t>(rng() % n);
      auto r = z.RemoveRangeByRank(at, at);
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(*r, 1);
      auto it = std::next(ordered_.begin(), at);
      scores_.erase(it->second);
      ordered_.erase(it);
    }
    Commit();
    ZSet check = Open();
    ASSERT_EQ(check.size(), scores_.size());
  }
  CheckDisk();
  // Everything read back whole, in both orders.
  ZSet z = Open();
  auto all = z.RangeByRank(0, -1, false);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, ModelAll(false));
  auto rev = z.RangeByScore({-kInf, kInf, false, false}, true);
  ASSERT_TRUE(rev.ok());
  EXPECT_EQ(*rev, ModelAll(true));
}

TEST_P(ZSetModelTest, LexRangesOverEqualScores) {
  std::vector<std::string> owned;
  for (int i = 0; i < GetParam().initial + 26; ++i) {
    owned.push_back(std::string(1, static_cast<char>('a' + i % 26)) + std::to_string(i / 26));
  }
  std::vector<std::pair<double, std::string_view>> items;
  for (const std::string& m : owned) items.emplace_back(5, m);
  {
    ZSet z = Open();
    ASSERT_TRUE(z.Add(items, {}).ok());
    Commit();
  }
  std::set<std::string> model(owned.begin(), owned.end());
  auto bound = [](const std::string& text) {
    LexBound b;
    if (text == "-") {
      b.kind = LexBound::kMinusInf;
    } else if (text == "+") {
      b.kind = LexBound::kPlusInf;
    } else {
      b.exclusive = text[0] == '(';
      b.value = text.substr(1);
    }
    return b;
  };
  const std::vector<std::string> bounds = {"-",   "+",  "[a0", "(a0", "[c", "(c", "[m1",
                                           "(m1", "[z", "(z9", "[zz", "[",  "("};
  ZSet z = Open();
  for (const std::string& lo : bounds) {
    for (const std::string& hi : bounds) {
      LexRange range{bound(lo), bound(hi)};
      for (bool reverse : {false, true}) {
        SCOPED_TRACE(lo + " " + hi + (reverse ? " rev" : ""));
        auto r = z.RangeByLex(range, reverse, 1, 3);
        ASSERT_TRUE(r.ok());
        std::vector<std::string> expect;
        if (!range.Empty()) {
          for (const std::string& m : model) {
            if (range.AboveMin(m) && range.BelowMax(m)) expect.push_back(m);
          }
        }
        if (reverse) std::reverse(expect.begin(), expect.end());
        expect.erase(expect.begin(), expect.begin() + std::min<size_t>(1, expect.size()));
        if (expect.size() > 3) expect.resize(3);
        std::vector<std::string> got;
        for (const ScoredMember& m : *r) got.push_back(m.member);
        EXPECT_EQ(got, expect);
      }
      auto count = z.CountByLex(range);
      ASSERT_TRUE(count.ok());
      int64_t in = 0;
      if (!range.Empty()) {
        for (const std::string& m : model) in += range.AboveMin(m) && range.BelowMax(m);
      }
      EXPECT_EQ(*count, in);
    }
  }
  auto removed = z.RemoveRangeByLex({bound("[b"), bound("(d")});
  ASSERT_TRUE(removed.ok());
  int64_t expect = 0;
  for (const std::string& m : model) expect += m >= "b" && m < "d";
  EXPECT_EQ(*removed, expect);
}

TEST_P(ZSetModelTest, ScanCoversEveryMemberOnce) {
  std::vector<std::string> owned;
  for (int i = 0; i < GetParam().initial + 10; ++i) owned.push_back("s" + std::to_string(i));
  std::vector<std::pair<double, std::string_view>> items;
  for (size_t i = 0; i < owned.size(); ++i) items.emplace_back(static_cast<double>(i), owned[i]);
  {
    ZSet z = Open();
    ASSERT_TRUE(z.Add(items, {}).ok());
    Commit();
  }
  ZSet z = Open();
  std::map<std::string, double> seen;
  uint64_t cursor = 0;
  int pages = 0;
  do {
    auto page = z.Scan(cursor, 100);
    ASSERT_TRUE(page.ok());
    for (const ScoredMember& m : page->items) EXPECT_TRUE(seen.emplace(m.member, m.score).second);
    cursor = page->next_cursor;
    ++pages;
  } while (cursor != 0 && pages < 1000);
  EXPECT_EQ(seen.size(), owned.size());
  // Past the small encoding's size, ZSCAN pages whether the set is held whole or not.
  if (owned.size() > 128) {
    EXPECT_GT(pages, 1);
  }
  auto one = z.RandomMember(12345);
  ASSERT_TRUE(one.ok() && *one);
  EXPECT_EQ(seen.at((*one)->member), (*one)->score);
}

TEST_P(ZSetModelTest, StoreReplacesAndEmptyDeletes) {
  storage::HotEntry* s = ks_->PutString(0, "z", "a string", 0);
  ASSERT_NE(s, nullptr);
  std::vector<ScoredMember> members;
  for (int i = 0; i < GetParam().initial + 3; ++i)
    members.push_back({"x" + std::to_string(i), i * 1.0});
  ASSERT_TRUE(ZSet::Store(*ks_, 0, "z", members).ok());
  Commit();
  for (const ScoredMember& m : members) ModelSet(m.member, m.score);
  {
    ZSet z = Open();
    EXPECT_EQ(z.size(), members.size());
    auto all = z.RangeByRank(0, -1, false);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(*all, members);
  }
  CheckDisk();
  ASSERT_TRUE(ZSet::Store(*ks_, 0, "z", {}).ok());
  Commit();
  EXPECT_FALSE(Open().exists());
}

// kScore kept only for sets that may not be held whole: session profile only.
class ZSetIndexTest : public ZSetModelTest {};

// A set is given kScore when it grows past what is held whole, one ZADD at a time, and then
// answers from RocksDB alone once it is let go.
TEST_P(ZSetIndexTest, GrowingPastTheLimitBuildsTheScoreIndex) {
  const uint64_t limit = ks_->hot_collection_limit();
  for (uint64_t i = 0; i < 2 * limit + 100; ++i) {
    std::string m = "g" + std::to_string(i);
    const double score = static_cast<double>((i * 7919) % 1000);
    ZSet z = Open();
    std::vector<std::pair<double, std::string_view>> items = {{score, m}};
    ASSERT_TRUE(z.Add(items, {}).ok());
    Commit();
    ModelSet(m, score);
    if (i + 1 == limit || i + 1 == limit + 1 || i + 1 == 2 * limit + 100) CheckDisk();
  }
  auto e = ks_->Peek(0, "z");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->object, nullptr);
  ZSet z = Open();
  auto all = z.RangeByRank(0, -1, true);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, ModelAll(true));
  auto rank = z.Rank("g5", false);
  ASSERT_TRUE(rank.ok() && rank->has_value());
  EXPECT_EQ(**rank, static_cast<int64_t>(
                        std::distance(ordered_.begin(), ordered_.find({scores_["g5"], "g5"}))));
}

// A set without kScore that the limit no longer covers (maxmemory was lowered) is loaded
// whole to be read, and its next write gives it the index.
TEST_P(ZSetIndexTest, ALoweredLimitLoadsAnUnindexedSetWhole) {
  ks_->SetMaxMemory(uint64_t{4} << 20, config::EvictionPolicy::kNoEviction);
  ASSERT_GT(ks_->hot_collection_limit(), 900u);
  std::vector<ScoredMember> members;
  for (int i = 0; i < 900; ++i) members.push_back({"u" + std::to_string(i), (i * 31) % 97 * 1.0});
  {
    ZSet z = Open();
    std::vector<std::pair<double, std::string_view>> items;
    for (const ScoredMember& m : members) items.emplace_back(m.score, m.member);
    ASSERT_TRUE(z.Add(items, {}).ok());
    Commit();
  }
  for (const ScoredMember& m : members) ModelSet(m.member, m.score);
  CheckDisk();
  ks_->SetMaxMemory(uint64_t{1} << 20, config::EvictionPolicy::kNoEviction);
  ASSERT_LT(ks_->hot_collection_limit(), 900u);
  {
    auto e = ks_->Peek(0, "z");
    ASSERT_TRUE(e.ok());
    ASSERT_FALSE(ks_->Header(*e).score_index);
    ASSERT_TRUE(ks_->DropObject(*e).ok());  // as eviction of the memory copy would
    Commit();
  }
  {
    ZSet z = Open();
    auto top = z.RangeByRank(0, 9, true);
    ASSERT_TRUE(top.ok());
    std::vector<ScoredMember> want = ModelAll(true);
    want.resize(10);
    EXPECT_EQ(*top, want);
    std::vector<std::pair<double, std::string_view>> one = {{1000, "last"}};
    ASSERT_TRUE(z.Add(one, {}).ok());
    Commit();
    ModelSet("last", 1000);
  }
  CheckDisk();
  auto e = ks_->Peek(0, "z");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(ks_->Header(*e).score_index);
  ks_.reset();
  storage::KeyspaceOptions options;
  options.profile = GetParam().profile;
  options.path = dir_.path() + "/data";
  options.clock = &clock_;
  auto opened = storage::Keyspace::Open(options);
  ASSERT_TRUE(opened.ok());
  ks_ = std::move(*opened);
  ZSet z = Open();
  auto all = z.RangeByRank(0, -1, false);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, ModelAll(false));
  CheckDisk();
}

INSTANTIATE_TEST_SUITE_P(Profiles, ZSetModelTest,
                         ::testing::Values(Config{config::Profile::kCache, 60},
                                           Config{config::Profile::kCache, 300},
                                           Config{config::Profile::kSession, 60},
                                           Config{config::Profile::kSession, 1500}),
                         [](const ::testing::TestParamInfo<Config>& info) {
                           return std::string(config::ProfileName(info.param.profile)) +
                                  (info.param.initial > 1000  ? "Big"
                                   : info.param.initial > 128 ? "Medium"
                                                              : "Small");
                         });
INSTANTIATE_TEST_SUITE_P(Durable, ZSetIndexTest,
                         ::testing::Values(Config{config::Profile::kSession, 60}));

}  // namespace
}  // namespace strata::types
