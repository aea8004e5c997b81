#include "engine/engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "commands/dispatch.h"
#include "commands/notify.h"
#include "types/stream_records.h"

namespace strata::engine {

StatusOr<std::unique_ptr<Engine>> Engine::Open(std::unique_ptr<config::Config> config, Clock* clock,
                                               WrittenCallback on_written) {
  std::unique_ptr<Engine> e(new Engine());
  e->config_ = std::move(config);
  const config::ServerConfig& cfg = e->config_->values();
  storage::KeyspaceOptions ko;
  ko.profile = cfg.profile;
  ko.path = (std::filesystem::path(cfg.dir) / "strata-data").string();
  ko.databases = static_cast<uint32_t>(cfg.databases);
  ko.maxmemory = cfg.maxmemory;
  ko.policy = cfg.maxmemory_policy;
  ko.clock = clock;
  ko.version = STRATA_VERSION;
  ko.fsync = cfg.appendfsync;
  ko.on_written = on_written;
  ko.big_value_warn = static_cast<uint64_t>(cfg.big_value_warn);
  ko.checkpoint_log_size = static_cast<uint64_t>(cfg.checkpoint_log_size);
  ko.upgrade_from_format_1 = types::UpgradeStreamRecordsFromFormat1;
  e->async_commits_ = static_cast<bool>(on_written);
  auto ks = storage::Keyspace::Open(ko);
  if (!ks.ok()) return ks.status();
  e->keyspace_ = std::move(*ks);
  e->state_.config = e->config_.get();
  e->state_.keyspace = e->keyspace_.get();
  e->keyspace_->SetKeyObserver(&e->state_.keys);
  e->state_.clock = clock;
  e->state_.stats.start_ms = clock->NowMs();
  e->state_.stats.last_save_ms = clock->NowMs();
  storage::Keyspace* ksp = e->keyspace_.get();
  e->state_.save = [ksp]() -> Status { return ksp->Save(); };
  commands::ListenForKeyEvents(e->state_);
  e->keyspace_->WantKeyEvents(cfg.notify_keyspace_events != 0);
  Engine* self = e.get();
  e->config_->AddListener([self](std::string_view name) { self->ApplyConfigChange(name); });
  return e;
}

Engine::~Engine() {
  if (keyspace_) {
    Status s = keyspace_->Commit();
    if (!s.ok()) spdlog::error("final commit failed: {}", s.ToString());
  }
}

void Engine::ApplyConfigChange(std::string_view name) {
  const config::ServerConfig& cfg = config_->values();
  if (name == "notify-keyspace-events") {
    keyspace_->WantKeyEvents(cfg.notify_keyspace_events != 0);
  } else if (name == "maxmemory" || name == "maxmemory-policy") {
    keyspace_->SetMaxMemory(cfg.maxmemory, cfg.maxmemory_policy);
  } else if (name == "big-value-warn") {
    keyspace_->SetBigValueWarn(static_cast<uint64_t>(cfg.big_value_warn));
  } else if (name == "checkpoint-log-size") {
    keyspace_->SetCheckpointLogSize(static_cast<uint64_t>(cfg.checkpoint_log_size));
  } else if (name == "appendfsync") {
    keyspace_->SetFsyncPolicy(cfg.appendfsync);
  } else if (name == "loglevel") {
    spdlog::set_level(spdlog::level::from_str(cfg.loglevel == "notice"    ? "info"
                                              : cfg.loglevel == "verbose" ? "debug"
                                              : cfg.loglevel == "warning" ? "warn"
                                                                          : cfg.loglevel));
  }
}

std::unique_ptr<commands::Session> Engine::NewSession() {
  auto s = std::make_unique<commands::Session>();
  s->id = state_.next_client_id++;
  s->created_ms = state_.clock->NowMs();
  return s;
}

void Engine::Execute(commands::Session& session, std::span<const std::string_view> args,
                     protocol::ReplyBuilder& reply) {
  commands::Dispatch(state_, session, args, reply);
}

void Engine::Cron() {
  keyspace_->SetCommandTime(state_.clock->NowMs());
  // While CLIENT PAUSE holds clients back, nothing changes the dataset behind their backs:
  // active expiry, stream retention and eviction wait too, as Redis's expiry and eviction do.
  const bool paused = state_.pause.Active(state_.clock->NowMs());
  keyspace_->SetKeepExpired(paused);  // the last command may have run while paused
  if (!paused) {
    // Active expiry: a bounded slice each tick (hz ticks a second).
    const int64_t started_us = state_.clock->MonotonicUs();
    auto removed =
        state_.active_expire ? keyspace_->ActiveExpireCycle(2000) : StatusOr<size_t>(size_t{0});
    const int64_t ms = (state_.clock->MonotonicUs() - started_us) / 1000;
    const int64_t threshold = config_->values().latency_monitor_threshold;
    if (threshold > 0 && ms >= threshold) {
      state_.latency.Record("expire-cycle", ms, state_.clock->NowMs() / 1000);
    }
    if (!removed.ok()) spdlog::warn("active expiry failed: {}", removed.status().ToString());
    // A retention trim is announced as the XTRIM it stands for.
    auto trimmed = stream_retention_.Cycle(*keyspace_, config_->values().stream_retention_ms,
                                           /*budget=*/100, [this](int db, std::string_view key) {
                                             commands::NotifyKeyspaceEvent(
                                                 state_, config::kNotifyStream, "xtrim", key, db);
                                           });
    if (!trimmed.ok()) spdlog::warn("stream retention failed: {}", trimmed.status().ToString());
  }
  if (!paused) keyspace_->CheckpointIfIdle();
  if (async_commits_) {
    keyspace_->CommitAsync();  // nobody waits for these deletions
  } else {
    Status s = keyspace_->Commit();
    if (!s.ok()) spdlog::warn("commit after active expiry failed: {}", s.ToString());
  }
  if (!paused) keyspace_->EnforceMemory();  // cache eviction deletes keys
  state_.stats.peak_memory = std::max(state_.stats.peak_memory, keyspace_->UsedMemory());
  if (keyspace_->profile() == config::Profile::kCache) WarnAboutKeysWithoutTtl();
}

void Engine::WarnAboutKeysWithoutTtl() {
  int64_t now = state_.clock->NowMs();
  if (no_ttl_warned_ && now - no_ttl_warned_ms_ < kNoTtlWarningIntervalMs) return;
  uint64_t keys = 0, expires = 0;
  for (int db = 0; db < keyspace_->databases(); ++db) {
    keys += keyspace_->KeyCount(db);
    expires += keyspace_->ExpireCount(db);
  }
  uint64_t without = keys - expires;
  if (without < kNoTtlWarningKeys || without * 2 < keys) return;
  spdlog::warn(
      "cache profile: {} of {} keys have no TTL (INFO keyspace shows keys= and expires= per "
      "database); a cache key without a TTL stays until maxmemory evicts it: give cached values "
      "an expiry (SET ... EX)",
      without, keys);
  no_ttl_warned_ = true;
  no_ttl_warned_ms_ = now;
}

}  // namespace strata::engine
