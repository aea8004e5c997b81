// Writes docs/commands.md: every Redis 7.0 command and subcommand (tools/redis-7.0-commands.txt)
// and whether this build's command table has it, then the commands Strata adds.
//   strata-commands-doc tools/redis-7.0-commands.txt > docs/commands.md
// The commands_doc test runs it and fails when docs/commands.md differs from its output.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "commands/command_table.h"

namespace {

using strata::commands::CommandSpec;
using strata::commands::CommandTable;

const CommandSpec* Lookup(const CommandTable& table, const std::string& name) {
  const size_t bar = name.find('|');
  if (bar == std::string::npos) return table.Find(name);
  const CommandSpec* parent = table.Find(name.substr(0, bar));
  return parent == nullptr ? nullptr : table.FindSub(*parent, name.substr(bar + 1));
}

std::string Display(const std::string& name) {
  std::string out;
  for (char c : name) out += c == '|' ? ' ' : static_cast<char>(std::toupper(c));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: strata-commands-doc REDIS_COMMAND_LIST\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "cannot open " << argv[1] << "\n";
    return 2;
  }
  const CommandTable& table = CommandTable::Get();
  std::map<std::string, std::vector<std::string>> by_group;
  std::set<std::string> redis_names;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string group, name;
    fields >> group >> name;
    by_group[group].push_back(name);
    redis_names.insert(name);
  }
  size_t have = 0;
  std::ostringstream body;
  for (const auto& [group, names] : by_group) {
    size_t in_group = 0;
    for (const std::string& n : names) in_group += Lookup(table, n) != nullptr;
    have += in_group;
    body << "\n## " << group << " (" << in_group << " of " << names.size() << ")\n\n";
    body << "| command | in Strata |\n|---|---|\n";
    for (const std::string& n : names) {
      body << "| `" << Display(n) << "` | " << (Lookup(table, n) ? "yes" : "no") << " |\n";
    }
  }
  std::vector<std::string> extra;
  for (const CommandSpec* spec : table.all()) {
    if (!redis_names.contains(std::string(spec->name))) extra.emplace_back(spec->name);
    for (const CommandSpec* sub : table.Subcommands(*spec)) {
      if (!redis_names.contains(std::string(sub->name))) extra.emplace_back(sub->name);
    }
  }
  std::sort(extra.begin(), extra.end());

  std::cout << "# Commands\n\n"
            << "Every command and subcommand of Redis 7.0, and whether Strata has it. Generated "
               "from the\ncommand table by `build/tools/strata-commands-doc "
               "tools/redis-7.0-commands.txt`; the\n`commands_doc` test fails when this file is "
               "stale. Where Strata has a command, it answers\nas Redis 7.0 does "
               "(`tests/resp/` compares the replies with `redis-server`).\n\n"
            << "Strata has " << have << " of the " << redis_names.size()
            << " commands and subcommands.\n";
  std::cout << body.str();
  std::cout << "\n## Strata's own\n\n| command | what it does |\n|---|---|\n";
  for (const std::string& n : extra) {
    const CommandSpec* spec = Lookup(table, n);
    std::cout << "| `" << Display(n) << "` | " << spec->summary << " |\n";
  }
  return 0;
}
