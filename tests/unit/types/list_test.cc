// types::List against a std::deque model: random pushes, pops, sets, inserts, removes, trims
// and searches, in the cache profile (held whole), the session profile with small lists (held
// whole, written through), with small lists whose memory copy is dropped (sub-key paths) and
// with big ones (only the header hot). After each step the list must read back as the model;
// in the session profile the sub-keys on disk must be exactly the indexes head .. tail-1,
// holding the model's elements.
#include "types/list.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/coding.h"
#include "testing/temp_dir.h"
#include "types/type_errors.h"

namespace strata::types {
namespace {

using storage::Keyspace;
using ::strata::testing::TempDir;

class ListTest : public ::testing::TestWithParam<config::Profile> {
 public:
  void SetUp() override { Open(); }

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
  bool durable() const { return GetParam() != config::Profile::kCache; }

  List OpenList(const std::string& key = "l") {
    ks_->SetCommandTime(clock_.NowMs());
    auto l = List::Open(*ks_, 0, key, /*for_write=*/true);
    // gtest reports an exception from the test body as a failure of that test.
    if (!l.ok()) throw std::runtime_error("List::Open: " + l.status().ToString());
    return std::move(*l);
  }

  std::vector<std::string> All(const std::string& key = "l") {
    std::vector<std::string> out;
    List l = OpenList(key);
    Status s = l.Range(
        0, -1, [&](size_t n) { out.reserve(n); }, [&](std::string_view v) { out.emplace_back(v); });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  // The list's sub-keys as RocksDB holds them after a commit: exactly head .. tail-1.
  void ExpectDiskMatches(const std::deque<std::string>& model, const std::string& key = "l") {
    if (!durable()) return;
    ASSERT_TRUE(ks_->Commit().ok());
    auto e = ks_->Peek(0, key);
    ASSERT_TRUE(e.ok());
    if (model.empty()) {
      EXPECT_EQ(*e, nullptr);
      return;
    }
    ASSERT_NE(*e, nullptr);
    storage::CollectionHeader h = ks_->Header(*e);
    EXPECT_EQ(h.size, model.size());
    EXPECT_EQ(h.tail - h.head, model.size());
    auto it = ks_->NewSubIterator(*e, Keyspace::SubCf::kData);
    ASSERT_TRUE(it.ok());
    uint64_t expected = h.head;
    size_t i = 0;
    for ((*it)->SeekToFirst(); (*it)->Valid(); (*it)->Next(), ++expected, ++i) {
      ASSERT_EQ((*it)->sub().size(), 8u);
      ASSERT_EQ(DecodeFixed64BE((*it)->sub().data()), expected);
      ASSERT_LT(i, model.size());
      ASSERT_EQ((*it)->value(), model[i]) << "at " << i;
    }
    EXPECT_EQ(i, model.size());
  }

  TempDir dir_{"list"};  // before ks_, so the directory outlives the open Keyspace
  FakeClock clock_;
  std::unique_ptr<Keyspace> ks_;
};

TEST_P(ListTest, PushPopBothEnds) {
  {
    List l = OpenList();
    EXPECT_FALSE(l.exists());
    EXPECT_EQ(*l.PushBack({"b", "c"}), 2u);
    EXPECT_EQ(*l.PushFront({"a", "z"}), 4u);  // z then a at the front
  }
  EXPECT_EQ(All(), (std::vector<std::string>{"z", "a", "b", "c"}));
  {
    List l = OpenList();
    EXPECT_EQ(*l.PopFront(1), std::vector<std::string>{"z"});
    EXPECT_EQ(*l.PopBack(2), (std::vector<std::string>{"c", "b"}));
    EXPECT_EQ(l.size(), 1u);
    EXPECT_EQ(*l.PopBack(0), std::vector<std::string>{});
    EXPECT_EQ(*l.PopBack(5), std::vector<std::string>{"a"});
    EXPECT_FALSE(l.exists());
  }
  auto e = ks_->Peek(0, "l");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e, nullptr);
  ExpectDiskMatches({});
}

TEST_P(ListTest, WrongTypeIsRefused) {
  ks_->PutString(0, "s", "x", 0);
  auto l = List::Open(*ks_, 0, "s");
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().message(), kWrongTypeText);
  auto moved = List::Move(*ks_, 0, "missing", "s", List::End::kHead, List::End::kHead);
  ASSERT_TRUE(moved.ok());  // a missing source wins over a wrong-typed destination
  EXPECT_FALSE(moved->has_value());
  { ASSERT_TRUE(OpenList("src").PushBack({"a"}).ok()); }
  moved = List::Move(*ks_, 0, "src", "s", List::End::kHead, List::End::kHead);
  EXPECT_FALSE(moved.ok());
  EXPECT_EQ(All("src"), std::vector<std::string>{"a"});  // nothing popped
}

TEST_P(ListTest, MoveRotatesAndTransfers) {
  { ASSERT_TRUE(OpenList().PushBack({"a", "b", "c"}).ok()); }
  auto m = List::Move(*ks_, 0, "l", "l", List::End::kTail, List::End::kHead);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(**m, "c");
  EXPECT_EQ(All(), (std::vector<std::string>{"c", "a", "b"}));
  m = List::Move(*ks_, 0, "l", "d", List::End::kHead, List::End::kTail);
  EXPECT_EQ(**m, "c");
  m = List::Move(*ks_, 0, "l", "d", List::End::kHead, List::End::kTail);
  m = List::Move(*ks_, 0, "l", "d", List::End::kHead, List::End::kTail);
  EXPECT_EQ(**m, "b");
  EXPECT_EQ(All("d"), (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_FALSE(OpenList().exists());
  // A one-element list moved onto itself stays.
  { ASSERT_TRUE(OpenList("one").PushBack({"x"}).ok()); }
  m = List::Move(*ks_, 0, "one", "one", List::End::kHead, List::End::kTail);
  EXPECT_EQ(**m, "x");
  EXPECT_EQ(All("one"), std::vector<std::string>{"x"});
}

TEST_P(ListTest, PositionsFollowRankCountAndMaxlen) {
  { ASSERT_TRUE(OpenList().PushBack({"a", "b", "a", "c", "a"}).ok()); }
  List l = OpenList();
  EXPECT_EQ(*l.Positions("a", 1, 0, 0), (std::vector<int64_t>{0, 2, 4}));
  EXPECT_EQ(*l.Positions("a", 2, 1, 0), (std::vector<int64_t>{2}));
  EXPECT_EQ(*l.Positions("a", -1, 0, 0), (std::vector<int64_t>{4, 2, 0}));
  EXPECT_EQ(*l.Positions("a", -2, 0, 3), (std::vector<int64_t>{2}));
  EXPECT_EQ(*l.Positions("a", INT64_MIN, 1, 0), (std::vector<int64_t>{4}));
  EXPECT_EQ(*l.Positions("a", 9, 0, 0), std::vector<int64_t>{});
  EXPECT_EQ(*l.Positions("z", 1, 0, 0), std::vector<int64_t>{});
}

// Runs random operations against a deque model. `base` elements are pushed first, so with
// base > 2 * kHotCollectionLimit the session profile works on sub-keys only. `drop_copy`
// drops the memory copy after opening (as eviction may), so small lists take the sub-key
// paths too.
void RandomOps(ListTest* t, size_t base, int steps, uint32_t seed, bool drop_copy = false) {
  std::mt19937 rng(seed);
  std::deque<std::string> model;
  auto rand = [&](uint64_t n) -> uint64_t { return n == 0 ? 0 : rng() % n; };
  auto value = [&] { return "v" + std::to_string(rand(6)); };
  {
    List l = t->OpenList();
    std::vector<std::string> init;
    for (size_t i = 0; i < base; ++i) init.push_back("b" + std::to_string(i % 37));
    std::vector<std::string_view> views(init.begin(), init.end());
    if (!views.empty()) {
      ASSERT_TRUE(l.PushBack(views).ok());
    }
    model.assign(init.begin(), init.end());
  }
  for (int step = 0; step < steps; ++step) {
    List l = t->OpenList();
    if (drop_copy && t->durable()) {
      auto e = t->ks_->Peek(0, "l");
      ASSERT_TRUE(e.ok());
      if (*e) {
        ASSERT_TRUE(t->ks_->DropObject(*e).ok());  // as the keyspace drops a copy
      }
    }
    const int64_t n = static_cast<int64_t>(model.size());
    const int op = static_cast<int>(rand(9));
    SCOPED_TRACE("step " + std::to_string(step) + " op " + std::to_string(op) + " size " +
                 std::to_string(n));
    switch (op) {
      case 0: {
        std::string a = value(), b = value();
        ASSERT_TRUE(l.PushFront({a, b}).ok());
        model.push_front(a);
        model.push_front(b);
        break;
      }
      case 1: {
        std::vector<std::string> vs;
        for (uint64_t i = rand(3) + 1; i > 0; --i) vs.push_back(value());
        std::vector<std::string_view> views(vs.begin(), vs.end());
        ASSERT_TRUE(l.PushBack(views).ok());
        model.insert(model.end(), vs.begin(), vs.end());
        break;
      }
      case 2:
      case 3: {
        uint64_t c = rand(4);
        auto got = op == 2 ? l.PopFront(c) : l.PopBack(c);
        ASSERT_TRUE(got.ok());
        std::vector<std::string> want;
        for (uint64_t i = 0; i < c && !model.empty(); ++i) {
          if (op == 2) {
            want.push_back(model.front());
            model.pop_front();
          } else {
            want.push_back(model.back());
            model.pop_back();
          }
        }
        ASSERT_EQ(*got, want);
        break;
      }
      case 4: {
        if (n == 0) break;
        int64_t i = static_cast<int64_t>(rand(n)) - (rand(2) ? n : 0);
        std::string v = value();
        ASSERT_TRUE(l.Set(i, v).ok());
        model[static_cast<size_t>(i < 0 ? i + n : i)] = v;
        auto got = l.Index(i);
        ASSERT_TRUE(got.ok());
        ASSERT_EQ(**got, v);
        break;
      }
      case 5: {
        std::string pivot = rand(5) ? value() : "b" + std::to_string(rand(37));
        std::string v = value();
        bool after = rand(2);
        auto got = l.Insert(after, pivot, v);
        ASSERT_TRUE(got.ok());
        auto it = std::find(model.begin(), model.end(), pivot);
        if (model.empty()) {
          ASSERT_EQ(*got, 0);
        } else if (it == model.end()) {
          ASSERT_EQ(*got, -1);
        } else {
          model.insert(after ? it + 1 : it, v);
          ASSERT_EQ(*got, static_cast<int64_t>(model.size()));
        }
        break;
      }
      case 6: {
        std::string v = rand(4) ? value() : "b" + std::to_string(rand(37));
        int64_t count = static_cast<int64_t>(rand(5)) - 2;
        auto got = l.Remove(count, v);
        ASSERT_TRUE(got.ok());
        int64_t removed = 0;
        uint64_t limit =
            count == 0 ? UINT64_MAX : static_cast<uint64_t>(count < 0 ? -count : count);
        if (count >= 0) {
          for (auto it = model.begin();
               it != model.end() && static_cast<uint64_t>(removed) < limit;) {
            if (*it == v) {
              it = model.erase(it);
              ++removed;
            } else {
              ++it;
            }
          }
        } else {
          for (int64_t i = static_cast<int64_t>(model.size()) - 1;
               i >= 0 && static_cast<uint64_t>(removed) < limit; --i) {
            if (model[static_cast<size_t>(i)] == v) {
              model.erase(model.begin() + i);
              ++removed;
            }
          }
        }
        ASSERT_EQ(*got, removed);
        break;
      }
      case 7: {
        // Mostly small trims at either end, sometimes everything.
        int64_t start = static_cast<int64_t>(rand(3));
        int64_t stop = -1 - static_cast<int64_t>(rand(3));
        if (rand(base > 100 ? 400 : 40) == 0) start = n + 5;
        ASSERT_TRUE(l.Trim(start, stop).ok());
        int64_t s = start, e = stop + n;
        if (e < 0 || s > e || s >= n) {
          model.clear();
        } else {
          model.erase(model.begin() + e + 1, model.end());
          model.erase(model.begin(), model.begin() + s);
        }
        break;
      }
      case 8: {
        std::string v = value();
        int64_t rank =
            rand(2) ? 1 + static_cast<int64_t>(rand(2)) : -1 - static_cast<int64_t>(rand(2));
        uint64_t count = rand(3);                                            // 0 = all
        uint64_t maxlen = rand(2) ? 0 : rand(static_cast<uint64_t>(n) + 2);  // 0 = all
        auto got = l.Positions(v, rank, count, maxlen);
        ASSERT_TRUE(got.ok());
        std::vector<int64_t> want;
        int64_t skip = (rank > 0 ? rank : -rank) - 1;
        int64_t scan = maxlen == 0 ? n : std::min<int64_t>(n, static_cast<int64_t>(maxlen));
        for (int64_t k = 0; k < scan; ++k) {
          int64_t pos = rank > 0 ? k : n - 1 - k;
          if (model[static_cast<size_t>(pos)] != v) continue;
          if (skip > 0) {
            --skip;
            continue;
          }
          want.push_back(pos);
          if (count != 0 && want.size() == count) break;
        }
        ASSERT_EQ(*got, want);
        break;
      }
    }
    ASSERT_EQ(l.size(), model.size());
    ASSERT_TRUE(t->ks_->Commit().ok());
    if (step % 16 == 0 || model.size() < 4) {
      auto all = t->All();
      ASSERT_EQ(all, std::vector<std::string>(model.begin(), model.end()));
      t->ExpectDiskMatches(model);
    }
  }
  ASSERT_EQ(t->All(), std::vector<std::string>(model.begin(), model.end()));
  t->ExpectDiskMatches(model);
  if (t->durable()) {
    t->Open();  // closes and reopens on the same directory
    ASSERT_EQ(t->All(), std::vector<std::string>(model.begin(), model.end()));
  }
}

TEST_P(ListTest, RandomOpsSmall) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    ASSERT_TRUE(ks_->FlushAll().ok());
    RandomOps(this, 20, 400, seed);
    if (HasFatalFailure()) return;
  }
}

TEST_P(ListTest, RandomOpsSmallFromSubKeys) {
  for (uint32_t seed = 100; seed <= 110; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    ASSERT_TRUE(ks_->FlushAll().ok());
    RandomOps(this, 40, 300, seed, /*drop_copy=*/true);
    if (HasFatalFailure()) return;
  }
}

TEST_P(ListTest, RandomOpsBig) {
  const size_t base = 2 * Keyspace::kHotCollectionLimit + 100;
  RandomOps(this, base, 300, 7);
  if (HasFatalFailure()) return;
  if (durable()) {
    auto e = ks_->Peek(0, "l");
    ASSERT_TRUE(e.ok() && *e != nullptr);
    EXPECT_EQ((*e)->object, nullptr);  // on the sub-key path throughout
  }
}

TEST_P(ListTest, BigListShrinksBackIntoMemory) {
  const size_t base = 2 * Keyspace::kHotCollectionLimit + 10;
  std::vector<std::string> init;
  for (size_t i = 0; i < base; ++i) init.push_back(std::to_string(i));
  {
    List l = OpenList();
    std::vector<std::string_view> views(init.begin(), init.end());
    ASSERT_TRUE(l.PushBack(views).ok());
    ASSERT_TRUE(l.PopFront(base - 10).ok());
  }
  ASSERT_TRUE(ks_->Commit().ok());
  { OpenList(); }  // loads the now-small list whole
  auto e = ks_->Peek(0, "l");
  ASSERT_TRUE(e.ok() && *e != nullptr);
  EXPECT_NE((*e)->object, nullptr);
  EXPECT_EQ(All(), std::vector<std::string>(init.end() - 10, init.end()));
  std::deque<std::string> model(init.end() - 10, init.end());
  ExpectDiskMatches(model);
}

INSTANTIATE_TEST_SUITE_P(Profiles, ListTest,
                         ::testing::Values(config::Profile::kCache, config::Profile::kSession),
                         [](const ::testing::TestParamInfo<config::Profile>& info) {
                           return std::string(config::ProfileName(info.param));
                         });

}  // namespace
}  // namespace strata::types
