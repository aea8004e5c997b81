#include "commands/command_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

namespace strata::commands {
namespace {

using ::testing::ElementsAre;

TEST(CommandTable, EveryEntryIsComplete) {
  const CommandTable& t = CommandTable::Get();
  ASSERT_FALSE(t.all().empty());
  std::set<std::string_view> names;
  for (const CommandSpec* spec : t.all()) {
    SCOPED_TRACE(std::string(spec->name));
    EXPECT_TRUE(names.insert(spec->name).second);
    for (char c : spec->name) EXPECT_FALSE(std::isupper(static_cast<unsigned char>(c)));
    EXPECT_NE(spec->arity, 0);
    EXPECT_FALSE(spec->group.empty());
    EXPECT_FALSE(spec->summary.empty());
    EXPECT_FALSE(spec->since.empty());
    // A command is either runnable itself or a container of subcommands.
    EXPECT_TRUE(spec->handler != nullptr || t.HasSubcommands(*spec));
    // Writes and reads are exclusive; a write that can grow memory says so.
    EXPECT_FALSE((spec->flags & kWrite) && (spec->flags & kReadOnly));
    if (spec->keys.first > 0) {
      EXPECT_GT(spec->keys.step, 0);
    }
    for (const CommandSpec* sub : t.Subcommands(*spec)) {
      EXPECT_EQ(sub->name.substr(0, spec->name.size() + 1), std::string(spec->name) + "|");
      EXPECT_NE(sub->handler, nullptr);
      EXPECT_LE(sub->arity <= 0 ? -sub->arity : sub->arity, 64);
    }
  }
}

TEST(CommandTable, LookupIgnoresCaseAndRejectsSubcommandNames) {
  const CommandTable& t = CommandTable::Get();
  ASSERT_NE(t.Find("GET"), nullptr);
  EXPECT_EQ(t.Find("gEt"), t.Find("get"));
  EXPECT_EQ(t.Find("client|list"), nullptr);  // only reachable as CLIENT LIST
  EXPECT_EQ(t.Find(std::string(100, 'a')), nullptr);
  const CommandSpec* client = t.Find("client");
  ASSERT_NE(client, nullptr);
  ASSERT_NE(t.FindSub(*client, "LIST"), nullptr);
  EXPECT_EQ(t.FindSub(*client, "LIST")->name, "client|list");
  EXPECT_EQ(t.FindSub(*client, "nosuch"), nullptr);
}

TEST(CommandTable, KeyPositionsOfConcreteInvocations) {
  const CommandTable& t = CommandTable::Get();
  std::vector<std::string_view> mset = {"MSET", "a", "1", "b", "2"};
  EXPECT_THAT(CommandTable::KeyPositions(*t.Find("mset"), mset.size(), mset), ElementsAre(1, 3));
  std::vector<std::string_view> del = {"DEL", "a", "b", "c"};
  EXPECT_THAT(CommandTable::KeyPositions(*t.Find("del"), del.size(), del), ElementsAre(1, 2, 3));
  std::vector<std::string_view> get = {"GET", "k"};
  EXPECT_THAT(CommandTable::KeyPositions(*t.Find("get"), get.size(), get), ElementsAre(1));
  std::vector<std::string_view> ping = {"PING"};
  EXPECT_TRUE(CommandTable::KeyPositions(*t.Find("ping"), ping.size(), ping).empty());
  // Keys located by a keyword, as XREADGROUP ... STREAMS k1 k2 id1 id2 will need.
  CommandSpec streams{"x",     -4,       kReadOnly, kAclRead, {1, -1, 1, "streams"},
                      nullptr, "stream", "1",       "s",      "c"};
  std::vector<std::string_view> xread = {"XREAD", "COUNT", "2", "STREAMS", "k1", "k2", "0", "0"};
  EXPECT_THAT(CommandTable::KeyPositions(streams, xread.size(), xread), ElementsAre(4, 5));
}

TEST(CommandTable, FlagAndCategoryNamesAreRedis) {
  EXPECT_THAT(CommandTable::FlagNames(kWrite | kDenyOom | kFast),
              ElementsAre("write", "denyoom", "fast"));
  EXPECT_THAT(CommandTable::AclNames(kAclWrite | kAclString | kAclFast),
              ElementsAre("@write", "@string", "@fast"));
}

}  // namespace
}  // namespace strata::commands
