#include "config/config.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>

#include "common/ascii.h"
#include "common/glob.h"
#include "common/split_args.h"
#include "config/directives.h"

namespace strata::config {

using internal::Directive;
using internal::FindDirective;
using internal::Origin;

namespace {

constexpr std::string_view kFatalBanner = "*** FATAL CONFIG FILE ERROR (Strata) ***";

bool IsDurable(Profile p) { return p != Profile::kCache; }

bool HasGlobChars(std::string_view pattern) {
  return pattern.find_first_of("*?[\\") != std::string_view::npos;
}

// Where a directive line came from, for the fatal message: "the configuration file 'x'" or
// "the command line", and its 1-based line number there.
struct LineSource {
  std::string where;
  size_t line_number;
  std::string_view text;  // the line as the user wrote it
};

Status FatalAt(const LineSource& src, std::string_view reason) {
  std::string msg(kFatalBanner);
  msg += "\nReading ";
  msg += src.where;
  msg += ", at line ";
  msg += std::to_string(src.line_number);
  msg += "\n>>> '";
  msg += src.text;
  msg += "'\n";
  msg += reason;
  return Status::InvalidArgument(msg);
}

// Command-line arguments shown back as a config line; quoting keeps `--save ""` readable.
std::string RenderLine(const std::vector<std::string>& argv) {
  std::string line;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (i > 0) line.push_back(' ');
    const std::string& a = argv[i];
    if (i > 0 && (a.empty() || a.find_first_of(" \t\"'") != std::string::npos)) {
      line += '"';
      for (char c : a) {
        if (c == '"' || c == '\\') line.push_back('\\');
        line.push_back(c);
      }
      line += '"';
    } else {
      line += a;
    }
  }
  return line;
}

// Applies one directive line (argv[0] is the name) to `cfg` and records the name in `explicit_set`.
Status ApplyLine(std::vector<std::string> argv, const LineSource& src, ServerConfig& cfg,
                 std::vector<std::string>& explicit_set) {
  const Directive* d = FindDirective(argv[0]);
  if (d == nullptr) return FatalAt(src, "Bad directive or wrong number of arguments");
  std::vector<std::string> args(std::make_move_iterator(argv.begin() + 1),
                                std::make_move_iterator(argv.end()));
  if (args.size() < d->min_args || args.size() > d->max_args) {
    return FatalAt(src, "wrong number of arguments");
  }
  if (auto refusal = d->set(args, Origin::kFile, cfg)) return FatalAt(src, *refusal);
  std::string name(d->name);
  if (std::find(explicit_set.begin(), explicit_set.end(), name) == explicit_set.end()) {
    explicit_set.push_back(std::move(name));
  }
  return Status::OK();
}

Status LoadText(std::string_view text, std::string_view where, ServerConfig& cfg,
                std::vector<std::string>& explicit_set) {
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    ++line_number;

    const size_t first = line.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) continue;
    line = line.substr(first, line.find_last_not_of(" \t\r\n") - first + 1);
    if (line.front() == '#') continue;  // only whole-line comments, as in redis.conf

    LineSource src{std::string(where), line_number, line};
    auto argv = SplitQuotedArgs(line);
    if (!argv) return FatalAt(src, "Unbalanced quotes in configuration line");
    if (argv->empty()) continue;
    if (Status s = ApplyLine(std::move(*argv), src, cfg, explicit_set); !s.ok()) return s;
  }
  return Status::OK();
}

StatusOr<std::string> ReadFile(const std::string& path) {
  auto fail = [&path](int err) {
    return Status::IOError("Fatal error, can't open config file '" + path +
                           "': " + std::strerror(err));
  };
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return fail(errno);
  std::string text;
  char buf[8192];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f.get())) > 0) text.append(buf, n);
  if (std::ferror(f.get())) return fail(errno);
  return text;
}

}  // namespace

Config::Config() = default;

bool Config::IsExplicit(std::string_view name) const {
  return std::find(explicitly_set_.begin(), explicitly_set_.end(), name) != explicitly_set_.end();
}

Status Config::LoadFromString(std::string_view text, std::string_view origin) {
  return LoadText(text, "the configuration file '" + std::string(origin) + "'", values_,
                  explicitly_set_);
}

Status Config::LoadFromArgs(const std::vector<std::string>& args) {
  size_t i = 0;
  if (!args.empty() && !args[0].starts_with("--")) {
    const std::string& path = args[0];
    auto text = ReadFile(path);
    if (!text.ok()) return text.status();
    if (Status s = LoadFromString(*text, path); !s.ok()) return s;
    std::error_code ec;
    auto absolute = std::filesystem::absolute(path, ec);
    values_.config_file = ec ? path : absolute.lexically_normal().string();
    i = 1;
  }

  // Group `--name v1 v2 --other v` into lines, as if they were appended to the file.
  std::vector<std::vector<std::string>> lines;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.starts_with("--") && a.size() > 2) {
      lines.push_back({a.substr(2)});
    } else if (lines.empty()) {
      return Status::InvalidArgument(std::string(kFatalBanner) +
                                     "\nReading the command line\n>>> '" + a +
                                     "'\nexpected a configuration file as the first argument or "
                                     "--directive, found an argument with no directive");
    } else {
      lines.back().push_back(a);
    }
  }
  for (size_t n = 0; n < lines.size(); ++n) {
    std::vector<std::string>& argv = lines[n];
    // `--save` alone means "no snapshots", the way redis-server reads it.
    if (argv.size() == 1 && AsciiLowerString(argv[0]) == "save") argv.emplace_back();
    const std::string rendered = RenderLine(argv);
    LineSource src{"the command line", n + 1, rendered};
    if (Status s = ApplyLine(std::move(argv), src, values_, explicitly_set_); !s.ok()) return s;
  }
  return Status::OK();
}

namespace {

// 64mb rather than 67108864, as Redis writes sizes back.
std::string FormatMemory(uint64_t bytes) {
  constexpr uint64_t kKb = 1024, kMb = kKb * 1024, kGb = kMb * 1024;
  if (bytes != 0 && bytes % kGb == 0) return std::to_string(bytes / kGb) + "gb";
  if (bytes != 0 && bytes % kMb == 0) return std::to_string(bytes / kMb) + "mb";
  if (bytes != 0 && bytes % kKb == 0) return std::to_string(bytes / kKb) + "kb";
  return std::to_string(bytes);
}

// The value of `d` as a config line's arguments: one quoted argument for a single-value
// directive (a log file path may hold spaces), the reported words otherwise ("bind" lists
// addresses, "save" pairs, "client-output-buffer-limit" classes; an empty list is "").
std::string FormatDirectiveLine(const Directive& d, const ServerConfig& cfg) {
  std::vector<std::string> argv{std::string(d.name)};
  const std::string value = d.get(cfg);
  if (d.memory) {
    argv.push_back(FormatMemory(std::stoull(value)));
  } else if (d.max_args == 1) {
    argv.push_back(value);
  } else {
    size_t pos = 0;
    while (pos < value.size()) {
      size_t end = value.find(' ', pos);
      if (end == std::string::npos) end = value.size();
      if (end > pos) argv.emplace_back(value.substr(pos, end - pos));
      pos = end + 1;
    }
    if (argv.size() == 1) argv.emplace_back();
  }
  return RenderLine(argv);
}

// Whether a file line for `d` with `args` already says what `cfg` holds.
bool LineIsCurrent(const Directive& d, const std::vector<std::string>& args,
                   const ServerConfig& cfg) {
  if (args.size() < d.min_args || args.size() > d.max_args) return false;
  ServerConfig scratch = cfg;
  if (d.set(args, Origin::kFile, scratch)) return false;
  return d.get(scratch) == d.get(cfg);
}

Status WriteFileAtomically(const std::string& path, const std::string& text) {
  auto fail = [](const std::string& what) {
    return Status::IOError("ERR Rewriting config file: " + what + ": " + std::strerror(errno));
  };
  const std::string tmp = path + ".rewrite.tmp";
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(tmp.c_str(), "wb"), &std::fclose);
  if (!f) return fail("can't create " + tmp);
  if (std::fwrite(text.data(), 1, text.size(), f.get()) != text.size() ||
      std::fflush(f.get()) != 0 || ::fsync(::fileno(f.get())) != 0) {
    std::remove(tmp.c_str());
    return fail("can't write " + tmp);
  }
  f.reset();
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return fail("can't replace " + path);
  }
  return Status::OK();
}

}  // namespace

Status Config::Rewrite() const {
  if (values_.config_file.empty()) {
    return Status::InvalidArgument("ERR The server is running without a config file");
  }
  auto text = ReadFile(values_.config_file);
  if (!text.ok()) return Status::IOError("ERR Rewriting config file: " + text.status().message());
  std::string out;
  std::vector<std::string_view> written;  // directives whose line is in `out`
  std::string_view rest = *text;
  while (!rest.empty()) {
    const size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    const size_t first = line.find_first_not_of(" \t\r");
    std::optional<std::vector<std::string>> argv;
    if (first != std::string_view::npos && line[first] != '#') argv = SplitQuotedArgs(line);
    const Directive* d = argv && !argv->empty() ? FindDirective((*argv)[0]) : nullptr;
    if (d == nullptr) {  // comments, blank lines, what this build does not know: as they were
      out.append(line);
      out.push_back('\n');
      continue;
    }
    if (std::find(written.begin(), written.end(), d->name) != written.end()) continue;
    written.push_back(d->name);
    std::vector<std::string> args(argv->begin() + 1, argv->end());
    if (LineIsCurrent(*d, args, values_)) {
      out.append(line);
    } else {
      out += FormatDirectiveLine(*d, values_);
    }
    out.push_back('\n');
  }
  bool header = false;
  for (const Directive& d : internal::Directives()) {
    if (!IsExplicit(d.name) || d.name == "profile") continue;
    if (std::find(written.begin(), written.end(), d.name) != written.end()) continue;
    if (!header) {
      if (!out.empty() && out.back() != '\n') out.push_back('\n');
      out += "# Generated by CONFIG REWRITE\n";
      header = true;
    }
    out += FormatDirectiveLine(d, values_);
    out.push_back('\n');
  }
  return WriteFileAtomically(values_.config_file, out);
}

Status Config::Finalize() {
  const Profile profile = values_.profile;
  const std::string profile_name(ProfileName(profile));
  if (!IsExplicit("maxmemory-policy")) {
    values_.maxmemory_policy =
        profile == Profile::kCache ? EvictionPolicy::kAllKeysLru : EvictionPolicy::kNoEviction;
  }
  if (!IsExplicit("appendfsync") && profile == Profile::kQueue) {
    values_.appendfsync = FsyncPolicy::kAlways;
  }
  if (!IsExplicit("appendfsync") && profile == Profile::kSession) {
    values_.appendfsync = FsyncPolicy::kEverySec;
  }

  if (IsDurable(profile) && values_.maxmemory_policy != EvictionPolicy::kNoEviction) {
    warnings_.push_back("maxmemory-policy " +
                        std::string(EvictionPolicyName(values_.maxmemory_policy)) +
                        " ignored: in the " + profile_name +
                        " profile memory pressure only drops in-memory copies and never deletes "
                        "keys, so the policy is noeviction");
    values_.maxmemory_policy = EvictionPolicy::kNoEviction;
  }
  if (IsExplicit("appendonly") && values_.appendonly != IsDurable(profile)) {
    warnings_.push_back(
        std::string("appendonly ") + (values_.appendonly ? "yes" : "no") +
        " ignored: durability follows the profile, and the " + profile_name + " profile is " +
        (IsDurable(profile) ? "durable (appendonly yes)" : "memory only (appendonly no)"));
  }
  if (profile == Profile::kCache && IsExplicit("appendfsync")) {
    warnings_.push_back(
        "appendfsync has no effect in the cache profile: nothing is written to disk");
  }
  if (profile == Profile::kCache && values_.maxmemory == 0 &&
      values_.maxmemory_policy != EvictionPolicy::kNoEviction) {
    warnings_.push_back(
        "cache profile with maxmemory 0: nothing will ever be evicted and memory "
        "grows without bound; set maxmemory");
  }
  return Status::OK();
}

std::vector<std::pair<std::string, std::string>> Config::Get(
    const std::vector<std::string_view>& patterns) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Directive& d : internal::Directives()) {
    for (std::string_view pattern : patterns) {
      if (!GlobMatch(pattern, d.name, /*nocase=*/true)) continue;
      // Redis answers an exact name with the spelling it was asked for ("MAXMEMORY").
      std::string name = HasGlobChars(pattern) ? std::string(d.name) : std::string(pattern);
      out.emplace_back(std::move(name), d.get(values_));
      break;
    }
  }
  return out;
}

Status Config::Set(const std::vector<std::pair<std::string_view, std::string_view>>& pairs) {
  // Names first, so that an unknown or immutable name is reported whatever the values are.
  std::vector<const Directive*> targets;
  for (const auto& [name, value] : pairs) {
    const Directive* d = FindDirective(name);
    if (d == nullptr) {
      return Status::InvalidArgument(
          "ERR Unknown option or number of arguments for CONFIG SET - '" + std::string(name) + "'");
    }
    const std::string related =
        "ERR CONFIG SET failed (possibly related to argument '" + std::string(name) + "') - ";
    if (!d->mutable_at_runtime)
      return Status::InvalidArgument(related + "can't set immutable config");
    if (std::find(targets.begin(), targets.end(), d) != targets.end()) {
      return Status::InvalidArgument(related + "duplicate parameter");
    }
    targets.push_back(d);
  }

  ServerConfig next = values_;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const Directive* d = targets[i];
    std::string_view value = pairs[i].second;
    std::vector<std::string> args;
    if (d->max_args > 1 && !value.empty()) {
      // A multi-argument directive arrives as one string; a doubled space is an empty
      // argument, which the directive refuses, as Redis does.
      size_t start = 0;
      while (true) {
        size_t sp = value.find(' ', start);
        args.emplace_back(value.substr(start, sp - start));
        if (sp == std::string_view::npos) break;
        start = sp + 1;
      }
    } else {
      args.emplace_back(value);
    }
    if (auto refusal = d->set(args, Origin::kConfigSet, next)) {
      return Status::InvalidArgument("ERR CONFIG SET failed (possibly related to argument '" +
                                     std::string(pairs[i].first) + "') - " + *refusal);
    }
  }
  // Durable profiles never delete keys under memory pressure; see Finalize.
  if (IsDurable(next.profile)) next.maxmemory_policy = EvictionPolicy::kNoEviction;

  std::vector<std::string_view> changed;
  for (const Directive* d : targets) {
    if (d->get(values_) != d->get(next)) changed.push_back(d->name);
  }
  values_ = std::move(next);
  for (const Directive* d : targets) {  // CONFIG REWRITE writes them out
    std::string name(d->name);
    if (!IsExplicit(name)) explicitly_set_.push_back(std::move(name));
  }
  for (std::string_view name : changed) {
    for (const ChangeListener& listener : listeners_) listener(name);
  }
  return Status::OK();
}

}  // namespace strata::config
