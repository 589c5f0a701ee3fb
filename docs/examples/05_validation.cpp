// Validation: constraints live in the types; every error of a request comes back in one 422.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include <boost/describe.hpp>
#include <vivace/vivace.hpp>

using vivace::ge, vivace::gt, vivace::le, vivace::max_items, vivace::max_len, vivace::min_len;

struct Item {
  vivace::Str<min_len<1>, max_len<50>> name;
  std::optional<vivace::Str<max_len<300>>> description;
  vivace::Int<gt<0>> price_cents;
  vivace::Int<ge<0>> discount_cents = 0;
  vivace::List<vivace::Str<vivace::pattern<"^[a-z0-9-]+$">>, max_items<5>, vivace::unique_items>
      tags;
};
BOOST_DESCRIBE_STRUCT(Item, (), (name, description, price_cents, discount_cents, tags))

// Found by argument-dependent lookup: unknown keys are errors, two fields may be left out.
inline vivace::schema::model_options vivace_model(const Item*) {
  return {.extra = vivace::schema::extra_policy::forbid,
          .fields = {{"discount_cents", {.has_default = true}},
                     {"tags", {.description = "Lower-case words", .has_default = true}}}};
}
// Runs once every field is valid: rules that involve several fields.
inline void vivace_validate(const Item& item, vivace::schema::model_errors& errors) {
  if (*item.discount_cents >= *item.price_cents)
    errors.add("discount_cents", "must be less than price_cents");
}

int main() {
  vivace::App app({.title = "Validation"});

  app.get<"/items">([](vivace::Query<"q", std::optional<vivace::Str<min_len<3>, max_len<50>>>> q,
                       vivace::Query<"limit", vivace::Int<ge<1>, le<100>>, 10> limit) {
    return boost::json::value{{"q", q->has_value() ? (*q)->value : ""}, {"limit", *limit}};
  });
  app.get<"/items/{item_id}">([](vivace::Path<"item_id", vivace::Int<ge<1>, le<1000>>> item_id) {
    return boost::json::value{{"item_id", *item_id}};
  });
  app.post<"/items">([](vivace::Body<Item> item) { return *item; }, {.status_code = 201});

  const char* port = std::getenv("PORT");
  app.run({.port = static_cast<std::uint16_t>(port ? std::stoi(port) : 8000)});
}
