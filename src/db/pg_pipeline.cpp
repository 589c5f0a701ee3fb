// PostgreSQL reads from the I/O thread: one non-blocking libpq connection per io_context in
// pipeline mode (libpq 14+), its socket watched by the context's reactor. Each read is
// prepared once per connection (PQsendPrepare) and then sent as PQsendQueryPrepared followed
// by a Sync: the server answers in order, so the queue of reads in flight is matched to the
// results as they come, and many requests' reads share a round trip under load.

#include "pg_pipeline.hpp"

#include <charconv>
#include <deque>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vivace/config.hpp"

#if VIVACE_WITH_POSTGRESQL
#include <libpq-fe.h>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "vivace/core/log.hpp"
#endif

namespace vivace::db::detail {

std::string pg_number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ec == std::errc() ? end : buf);
}

std::string pg_count_mismatch(std::size_t params, int count, std::string_view sql) {
  return std::to_string(params) + " parameter(s) for " + std::to_string(count) +
         " placeholder(s) in: " + std::string(sql);
}

std::string pg_positional(std::string_view sql, int& count) {
  std::string out;
  out.reserve(sql.size() + 8);
  count = 0;
  const auto ident = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  for (std::size_t i = 0; i < sql.size();) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // a literal or a quoted name, doubled quotes inside
      std::size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == c) {
          if (j + 1 < sql.size() && sql[j + 1] == c) {
            j += 2;
            continue;
          }
          ++j;
          break;
        }
        ++j;
      }
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == '-' && i + 1 < sql.size() &&
               sql[i + 1] == '-') {  // a comment, to the line's end
      const auto end = sql.find('\n', i);
      const auto j = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, j - i));
      i = j;
    } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {  // a cast
      out.append("::");
      i += 2;
    } else if (c == ':' && i + 1 < sql.size() && ident(sql[i + 1]) &&
               !(sql[i + 1] >= '0' && sql[i + 1] <= '9')) {
      std::size_t j = i + 1;
      while (j < sql.size() && ident(sql[j]))
        ++j;
      out += '$';
      out += std::to_string(++count);
      i = j;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

#if VIVACE_WITH_POSTGRESQL

namespace asio = boost::asio;

namespace {

class pipeline_impl;

// The answer to a read that could not be made: the connection is lost, or the server stops.
pg_answer unavailable(std::string why) {
  pg_answer a;
  a.status = pg_answer::how::unavailable;
  a.error = std::move(why);
  return a;
}

/// Abandons the context's pipelines when the context is destroyed (its reactor goes with it):
/// they let go of their sockets and connections then, and are replaced on the next use.
class pipeline_service : public asio::execution_context::service {
 public:
  using key_type = pipeline_service;
  static inline asio::execution_context::id id;
  explicit pipeline_service(asio::execution_context& c) : asio::execution_context::service(c) {}
  void add(const std::shared_ptr<pipeline_impl>& p) {
    std::lock_guard lock(m_);
    std::erase_if(pipes_, [](const auto& w) { return w.expired(); });
    pipes_.push_back(p);
  }
  void shutdown() override;

 private:
  std::mutex m_;
  std::vector<std::weak_ptr<pipeline_impl>> pipes_;
};

class pipeline_impl final : public pg_pipeline {
 public:
  pipeline_impl(asio::io_context& ioc, std::string conninfo)
      : strand_(std::in_place, asio::make_strand(ioc)), conninfo_(std::move(conninfo)) {}
  ~pipeline_impl() override { disconnect(); }

  [[nodiscard]] bool abandoned() const noexcept override {
    return abandoned_.load(std::memory_order_acquire);
  }

  /// The context is going: nothing of it may be touched afterwards.
  void abandon() noexcept {
    abandoned_.store(true, std::memory_order_release);
    disconnect();
    // Their handlers belong to the context too: destroyed now, as the context destroys its own.
    inflight_.clear();
    queued_.clear();
    // A strand refers to its context's strand service, which is destroyed with the context;
    // the pipeline itself may outlive both (the Database holds it).
    strand_.reset();
  }

  Task<pg_answer> query(std::string sql, pg_params params) override {
    if (abandoned())
      co_return unavailable("the server is stopping");
    pending_.fetch_add(1, std::memory_order_relaxed);
    auto self = std::static_pointer_cast<pipeline_impl>(shared_from_this());
    co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(pg_answer)>(
        [&](auto handler) {
          auto o = std::make_unique<op>();
          o->sql = std::move(sql);
          o->params = std::move(params);
          // Completed from the pipeline's strand: the awaiting coroutine resumes on its own
          // executor.
          o->done = completion::of([h = std::move(handler)](pg_answer a) mutable {
            auto ex = asio::get_associated_executor(h);
            asio::post(
                ex, [h = std::move(h), a = std::move(a)]() mutable { std::move(h)(std::move(a)); });
          });
          asio::post(*strand_, [self, o = std::move(o)]() mutable { self->submit(std::move(o)); });
        },
        asio::use_awaitable);
  }

 private:
  // A move-only completion (Boost 1.81's any_completion_handler recurses when moved).
  struct completion {
    virtual ~completion() = default;
    virtual void operator()(pg_answer a) = 0;
    template <class F>
    static std::unique_ptr<completion> of(F f) {
      struct impl final : completion {
        explicit impl(F fn) : f(std::move(fn)) {}
        void operator()(pg_answer a) override { f(std::move(a)); }
        F f;
      };
      return std::make_unique<impl>(std::move(f));
    }
  };
  struct op {
    std::string sql;
    pg_params params;
    std::unique_ptr<completion> done;       // null: the connection's own SETs
    bool unnamed = false;                   // sent without preparing (the SETs)
    const std::string* prepared = nullptr;  // the name being prepared with it, if it is
    bool prepare_answered = false;
    pg_answer answer;
  };
  struct statement {
    std::string name;
    int params = 0;
  };

  // ---- on the strand --------------------------------------------------------------------

  void submit(std::unique_ptr<op> o) {
    if (abandoned())
      return fail_one(std::move(o), "the server is stopping");
    if (state_ == state::idle)
      connect();
    if (state_ != state::ready) {
      queued_.push_back(std::move(o));
      return;
    }
    send(std::move(o));
    flush();
  }

  void send(std::unique_ptr<op> o) {
    int ok = 1;
    if (o->unnamed) {
      ok = PQsendQueryParams(conn_, o->sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0);
    } else {
      auto it = statements_.find(o->sql);
      if (it == statements_.end()) {
        int count = 0;
        const std::string text = pg_positional(o->sql, count);
        statement st{"vivace_p" + std::to_string(++named_), count};
        if (static_cast<std::size_t>(count) != o->params.size())
          return answer_error(std::move(o), pg_count_mismatch(o->params.size(), count, o->sql));
        ok = PQsendPrepare(conn_, st.name.c_str(), text.c_str(), count, nullptr);
        it = statements_.emplace(o->sql, std::move(st)).first;
        o->prepared = &it->second.name;
      } else if (static_cast<std::size_t>(it->second.params) != o->params.size()) {
        return answer_error(std::move(o),
                            pg_count_mismatch(o->params.size(), it->second.params, o->sql));
      }
      if (ok) {
        std::vector<const char*> values;
        values.reserve(o->params.size());
        for (const auto& p : o->params)
          values.push_back(p ? p->c_str() : nullptr);
        ok = PQsendQueryPrepared(conn_, it->second.name.c_str(), static_cast<int>(values.size()),
                                 values.data(), nullptr, nullptr, 0);
      }
    }
    if (ok)
      ok = PQpipelineSync(conn_);
    inflight_.push_back(std::move(o));
    if (!ok)
      return broken(PQerrorMessage(conn_));
  }

  void answer_error(std::unique_ptr<op> o, std::string message) {
    o->answer.error = std::move(message);
    o->answer.sqlstate = "07001";  // dynamic SQL error: wrong number of parameters
    complete(std::move(o));
  }

  void flush() {
    if (state_ != state::ready)
      return;
    const int r = PQflush(conn_);
    if (r < 0)
      return broken(PQerrorMessage(conn_));
    if (r == 1 && !writing_) {  // more to send once the socket takes it
      writing_ = true;
      sock_->async_wait(asio::posix::descriptor_base::wait_write,
                        asio::bind_executor(*strand_, [self = self(), gen = gen_](auto ec) {
                          if (gen != self->gen_)
                            return;
                          self->writing_ = false;
                          if (!ec)
                            self->flush();
                        }));
    }
    read();
  }

  void read() {
    if (reading_ || inflight_.empty() || state_ != state::ready)
      return;
    reading_ = true;
    sock_->async_wait(asio::posix::descriptor_base::wait_read,
                      asio::bind_executor(*strand_, [self = self(), gen = gen_](auto ec) {
                        if (gen != self->gen_)
                          return;
                        self->reading_ = false;
                        if (ec)
                          return self->broken(ec.message());
                        self->on_readable();
                      }));
  }

  void on_readable() {
    if (!PQconsumeInput(conn_))
      return broken(PQerrorMessage(conn_));
    int nulls = 0;
    while (!inflight_.empty() && !PQisBusy(conn_)) {
      PGresult* r = PQgetResult(conn_);
      if (!r) {  // the end of one statement's results (twice: nothing more has come)
        if (++nulls > 1)
          break;
        continue;
      }
      nulls = 0;
      op& o = *inflight_.front();
      const auto status = PQresultStatus(r);
      if (status == PGRES_PIPELINE_SYNC) {
        PQclear(r);
        auto done = std::move(inflight_.front());
        inflight_.pop_front();
        complete(std::move(done));
        continue;
      }
      const bool preparing = o.prepared && !o.prepare_answered;
      if (preparing)
        o.prepare_answered = true;
      if (status == PGRES_FATAL_ERROR) {
        if (o.answer.error.empty()) {
          const char* code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
          o.answer.sqlstate = code ? code : "";
          o.answer.error = PQresultErrorMessage(r);
          while (!o.answer.error.empty() && o.answer.error.back() == '\n')
            o.answer.error.pop_back();
        }
        if (preparing)  // not prepared after all: prepared again next time
          forget(*o.prepared);
        PQclear(r);
      } else if (preparing || status == PGRES_PIPELINE_ABORTED) {
        PQclear(r);
      } else {
        o.answer.result =
            std::shared_ptr<void>(r, [](void* p) { PQclear(static_cast<PGresult*>(p)); });
      }
    }
    if (PQstatus(conn_) == CONNECTION_BAD)
      return broken(PQerrorMessage(conn_));
    read();
  }

  void forget(const std::string& name) {
    for (auto it = statements_.begin(); it != statements_.end(); ++it)
      if (it->second.name == name) {
        statements_.erase(it);
        return;
      }
  }

  void complete(std::unique_ptr<op> o) {
    if (!o->done) {
      if (!o->answer.error.empty())
        log::warning("database: pipelined connection: " + o->sql + ": " + o->answer.error);
      return;
    }
    pending_.fetch_sub(1, std::memory_order_relaxed);
    auto done = std::move(o->done);
    (*done)(std::move(o->answer));
  }

  void fail_one(std::unique_ptr<op> o, const std::string& why) {
    o->answer = unavailable(why);
    complete(std::move(o));
  }

  /// The connection failed: every read in flight or queued is answered 503, and the next one
  /// connects again.
  void broken(std::string why) {
    while (!why.empty() && why.back() == '\n')
      why.pop_back();
    if (why.empty())
      why = "connection lost";
    log::warning("database: pipelined connection: " + why);
    disconnect();
    auto inflight = std::move(inflight_);
    auto queued = std::move(queued_);
    inflight_.clear();
    queued_.clear();
    for (auto& o : inflight)
      fail_one(std::move(o), why);
    for (auto& o : queued)
      fail_one(std::move(o), why);
  }

  void disconnect() noexcept {
    ++gen_;  // handlers of the old connection do nothing
    if (sock_) {
      boost::system::error_code ec;
      sock_->cancel(ec);
      (void)sock_->release();  // libpq owns the socket
      sock_.reset();
    }
    if (conn_) {
      PQfinish(conn_);
      conn_ = nullptr;
    }
    statements_.clear();
    reading_ = writing_ = false;
    state_ = state::idle;
  }

  // ---- connecting -------------------------------------------------------------------------

  void connect() {
    conn_ = PQconnectStart(conninfo_.c_str());
    if (!conn_ || PQstatus(conn_) == CONNECTION_BAD)
      return connect_failed();
    state_ = state::connecting;
    poll_connect(PGRES_POLLING_WRITING);
  }

  void poll_connect(PostgresPollingStatusType want) {
    const int fd = PQsocket(conn_);
    if (fd < 0)
      return connect_failed();
    if (sock_ && sock_->native_handle() != fd) {  // libpq moved to another socket (an address)
      boost::system::error_code ec;
      sock_->cancel(ec);
      (void)sock_->release();
      sock_.reset();
    }
    if (!sock_)
      sock_.emplace(*strand_, fd);
    sock_->async_wait(want == PGRES_POLLING_READING ? asio::posix::descriptor_base::wait_read
                                                    : asio::posix::descriptor_base::wait_write,
                      asio::bind_executor(*strand_, [self = self(), gen = gen_](auto ec) {
                        if (gen != self->gen_)
                          return;
                        if (ec)
                          return self->connect_failed();
                        switch (const auto r = PQconnectPoll(self->conn_)) {
                          case PGRES_POLLING_OK:
                            return self->connected();
                          case PGRES_POLLING_FAILED:
                            return self->connect_failed();
                          default:
                            return self->poll_connect(r);
                        }
                      }));
  }

  void connect_failed() { broken(conn_ ? PQerrorMessage(conn_) : "cannot connect"); }

  void connected() {
    if (PQsetnonblocking(conn_, 1) != 0 || PQenterPipelineMode(conn_) != 1)
      return connect_failed();
    state_ = state::ready;
    // The pool's per-connection settings (Database's configure()).
    for (const char* set : {"SET TIME ZONE 'UTC'", "SET client_min_messages TO WARNING"}) {
      auto o = std::make_unique<op>();
      o->sql = set;
      o->unnamed = true;
      send(std::move(o));
    }
    auto queued = std::move(queued_);
    queued_.clear();
    for (auto& o : queued)
      if (state_ == state::ready)
        send(std::move(o));
      else
        fail_one(std::move(o), "connection lost");
    flush();
  }

  std::shared_ptr<pipeline_impl> self() {
    return std::static_pointer_cast<pipeline_impl>(shared_from_this());
  }

  std::optional<asio::strand<asio::io_context::executor_type>> strand_;  // gone once abandoned
  std::string conninfo_;
  std::atomic<bool> abandoned_{false};
  enum class state { idle, connecting, ready } state_ = state::idle;
  PGconn* conn_ = nullptr;
  std::optional<asio::posix::stream_descriptor> sock_;
  std::uint64_t gen_ = 0;
  bool reading_ = false, writing_ = false;
  std::deque<std::unique_ptr<op>> queued_;                 // waiting for the connection
  std::deque<std::unique_ptr<op>> inflight_;               // sent, in the order of their answers
  std::unordered_map<std::string, statement> statements_;  // by the query's text
  std::uint64_t named_ = 0;
};

void pipeline_service::shutdown() {
  std::vector<std::shared_ptr<pipeline_impl>> live;
  {
    std::lock_guard lock(m_);
    for (auto& w : pipes_)
      if (auto p = w.lock())
        live.push_back(std::move(p));
    pipes_.clear();
  }
  for (auto& p : live)
    p->abandon();
}

}  // namespace

std::shared_ptr<pg_pipeline> pg_pipeline::make(asio::io_context& ioc, std::string conninfo) {
  auto p = std::make_shared<pipeline_impl>(ioc, std::move(conninfo));
  asio::use_service<pipeline_service>(ioc).add(p);
  return p;
}

#else

std::shared_ptr<pg_pipeline> pg_pipeline::make(boost::asio::io_context&, std::string) {
  throw std::logic_error("database: this build of Vivace has no PostgreSQL backend");
}

#endif

}  // namespace vivace::db::detail
