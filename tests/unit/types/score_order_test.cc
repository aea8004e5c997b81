#include "types/score_order.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iterator>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace strata::types {
namespace {

using Element = ScoreOrder::Element;

// Members outlive the order (ZSetObject keeps them as its map's keys): a fixed pool.
const std::vector<std::string>& Members() {
  static const std::vector<std::string> pool = [] {
    std::vector<std::string> v;
    for (int i = 0; i < 40000; ++i) v.push_back("m" + std::to_string(i));
    return v;
  }();
  return pool;
}

// Everything a caller can observe, compared with std::set: order both ways, rank() and at()
// at every position, find, and bounds by element and by score.
void ExpectSame(const ScoreOrder& order, const std::set<Element>& model, std::mt19937_64& rng) {
  ASSERT_EQ(order.size(), model.size());
  ASSERT_EQ(order.empty(), model.empty());
  std::vector<Element> forward(order.begin(), order.end());
  ASSERT_EQ(forward, std::vector<Element>(model.begin(), model.end()));
  std::vector<Element> backward;
  for (auto it = order.end(); it != order.begin();) backward.push_back(*--it);
  ASSERT_EQ(backward, std::vector<Element>(model.rbegin(), model.rend()));
  size_t i = 0;
  for (auto it = order.begin(); it != order.end(); ++it, ++i) {
    ASSERT_EQ(order.rank(it), i);
    ASSERT_TRUE(order.at(i) == it);
  }
  EXPECT_EQ(order.rank(order.end()), model.size());
  EXPECT_TRUE(order.at(model.size()) == order.end());
  for (int probe = 0; probe < 200; ++probe) {
    double score = static_cast<double>(rng() % 1000) / 4;
    const std::string& m = Members()[rng() % Members().size()];
    Element e(score, m);
    auto lb = order.lower_bound(e);
    auto mlb = model.lower_bound(e);
    ASSERT_EQ(order.rank(lb), static_cast<size_t>(std::distance(model.begin(), mlb)));
    auto ub = order.upper_bound(e);
    ASSERT_EQ(order.rank(ub),
              static_cast<size_t>(std::distance(model.begin(), model.upper_bound(e))));
    ASSERT_EQ(order.find(e) != order.end(), model.count(e) == 1);
    for (bool after : {false, true}) {
      auto sb = order.lower_bound(ScoreBound{score, after});
      size_t want = 0;
      for (const Element& x : model) want += after ? x.first <= score : x.first < score;
      ASSERT_EQ(order.rank(sb), want) << score << " after=" << after;
    }
  }
}

TEST(ScoreOrderTest, RandomInsertsAndErasesMatchStdSet) {
  std::mt19937_64 rng(7);
  ScoreOrder order;
  std::set<Element> model;
  // Grow to three levels, shrink to nothing, grow again: splits, merges, root changes.
  for (int phase = 0; phase < 3; ++phase) {
    const bool growing = phase != 1;
    for (int step = 0; step < 30000; ++step) {
      const std::string& m = Members()[rng() % Members().size()];
      Element e(static_cast<double>(rng() % 1000) / 4, m);
      bool insert = growing ? rng() % 4 != 0 : rng() % 4 == 0;
      if (!insert && rng() % 2 == 0) {  // mostly erase what is there
        auto near = model.lower_bound(e);
        if (near != model.end()) e = *near;
      }
      if (insert) {
        ASSERT_EQ(order.insert(e), model.insert(e).second);
      } else {
        ASSERT_EQ(order.erase(e), model.erase(e) == 1);
      }
    }
    if (phase == 1) {
      while (!model.empty()) {
        Element e = *std::next(model.begin(), static_cast<long>(rng() % model.size()));
        ASSERT_TRUE(order.erase(e));
        model.erase(e);
      }
    }
    ExpectSame(order, model, rng);
  }
  EXPECT_GT(order.node_bytes(), 0u);
  order.clear();
  EXPECT_EQ(order.size(), 0u);
  EXPECT_TRUE(order.begin() == order.end());
  EXPECT_EQ(order.node_bytes(), 0u);
}

// A delayed-job set: increasing scores pushed at the back, popped from the front.
TEST(ScoreOrderTest, AQueueOfIncreasingScoresStaysCorrectAndDense) {
  std::mt19937_64 rng(11);
  ScoreOrder order;
  std::set<Element> model;
  int next = 0;
  for (int i = 0; i < 10000; ++i, ++next) {
    Element e(next, Members()[static_cast<size_t>(next) % Members().size()]);
    order.insert(e);
    model.insert(e);
  }
  const size_t full = order.node_bytes();
  for (int i = 0; i < 50000; ++i, ++next) {
    Element front = *order.begin();
    ASSERT_EQ(front, *model.begin());
    ASSERT_TRUE(order.erase(front));
    model.erase(front);
    Element e(next, Members()[static_cast<size_t>(next) % Members().size()]);
    ASSERT_TRUE(order.insert(e));
    model.insert(e);
  }
  ExpectSame(order, model, rng);
  // Appends fill leaves whole: churn does not leave the structure bigger than it started.
  EXPECT_LE(order.node_bytes(), full + full / 4);
}

TEST(ScoreOrderTest, DescendingInsertsAndEdgeScores) {
  std::mt19937_64 rng(3);
  ScoreOrder order;
  std::set<Element> model;
  const double inf = std::numeric_limits<double>::infinity();
  for (int i = 5000; i > 0; --i) {
    Element e(i % 3 == 0 ? -inf : i % 3 == 1 ? inf : -i, Members()[static_cast<size_t>(i)]);
    ASSERT_TRUE(order.insert(e));
    model.insert(e);
  }
  ASSERT_FALSE(order.insert(*model.begin()));
  ExpectSame(order, model, rng);
  EXPECT_EQ(order.rank(order.lower_bound(ScoreBound{inf, false})),
            static_cast<size_t>(std::count_if(model.begin(), model.end(),
                                              [&](const Element& e) { return e.first < inf; })));
  EXPECT_TRUE(order.lower_bound(ScoreBound{inf, true}) == order.end());
  EXPECT_FALSE(order.erase(Element(1.5, "absent")));
}

}  // namespace
}  // namespace strata::types
