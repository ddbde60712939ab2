#pragma once
// A uniquely named schema in the throwaway PostgreSQL cluster scripts/test starts
// (FK_TEST_PG_URL), dropped with everything in it on destruction. Create() returns nullptr with a
// doctest MESSAGE when no cluster is reachable, and FAILs instead when FK_REQUIRE_PG=1, so the
// PostgreSQL tests fail rather than skip under scripts/test. Test thread only.

#include <memory>
#include <string>

namespace fk::test {

class PgSchema {
  public:
    static std::unique_ptr<PgSchema> Create(const std::string& prefix = "fk_t_");
    ~PgSchema();
    PgSchema(const PgSchema&) = delete;
    PgSchema& operator=(const PgSchema&) = delete;

    // The cluster's URL with search_path set to this schema.
    std::string Url() const;
    const std::string& Name() const { return m_name; }

  private:
    PgSchema(std::string base, std::string name)
        : m_base(std::move(base)), m_name(std::move(name)) {}
    std::string m_base;
    std::string m_name;
};

}  // namespace fk::test
