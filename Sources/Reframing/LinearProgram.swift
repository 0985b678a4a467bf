import CGLPK

/// A minimisation linear programme, built in Swift and solved by GLPK's simplex. The one
/// owner of a `glp_prob` (created and deleted per solve). Variables and constraints are
/// numbered from 0 in this API; GLPK's own arrays start at 1.
final class LinearProgram {
    private var lower: [Double?] = []
    private var upper: [Double?] = []
    private var costs: [Double] = []
    private var rows: [(terms: [(Int, Double)], lower: Double?, upper: Double?)] = []

    /// Adds a variable with optional bounds and its objective coefficient; returns its index.
    @discardableResult
    func addVariable(lower: Double? = nil, upper: Double? = nil, cost: Double = 0) -> Int {
        self.lower.append(lower)
        self.upper.append(upper)
        costs.append(cost)
        return costs.count - 1
    }

    /// Adds lower ≤ Σ coefficient·variable ≤ upper (either bound may be absent).
    func addConstraint(_ terms: [(Int, Double)], lower: Double? = nil, upper: Double? = nil) {
        rows.append((terms, lower, upper))
    }

    /// Adds `e ≥ |Σ terms + constant|` for a new variable e with objective weight `weight`
    /// (so minimising charges weight·|…|); returns e.
    @discardableResult
    func addAbsolute(_ terms: [(Int, Double)], constant: Double = 0, weight: Double) -> Int {
        let e = addVariable(lower: 0, cost: weight)
        addConstraint([(e, 1)] + terms, lower: -constant)
        addConstraint([(e, 1)] + terms.map { ($0.0, -$0.1) }, lower: constant)
        return e
    }

    /// The optimal values of all variables.
    func solve() throws -> [Double] {
        guard !costs.isEmpty else { return [] }
        // GLPK aborts the process on inconsistent input, so it is checked here first.
        try checkInput()
        // GLPK is opened on first use: only smart reframing pays for it.
        var message = [CChar](repeating: 0, count: 768)
        guard tk_glpk_load(&message, message.count) == 0 else { throw ReframingError.libraryMissing(String(cString: message)) }
        // Per call: GLPK's terminal switch belongs to the calling thread's GLPK environment.
        glp_term_out(GLP_OFF)
        guard let problem = glp_create_prob() else { throw ReframingError.solver("GLPK could not create a problem") }
        defer { glp_delete_prob(problem) }
        load(into: problem)
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.presolve = GLP_ON
        let code = glp_simplex(problem, &parameters)
        guard code == 0 else { throw ReframingError.solver("GLPK simplex returned \(code)") }
        let status = glp_get_status(problem)
        guard status == GLP_OPT else { throw ReframingError.solver("no optimal path (GLPK status \(status))") }
        return (0 ..< costs.count).map { glp_get_col_prim(problem, Int32($0 + 1)) }
    }

    private func load(into problem: OpaquePointer) {
        glp_set_obj_dir(problem, GLP_MIN)
        glp_add_cols(problem, Int32(costs.count))
        for j in costs.indices {
            glp_set_col_bnds(problem, Int32(j + 1), Self.boundType(lower[j], upper[j]), lower[j] ?? 0, upper[j] ?? 0)
            glp_set_obj_coef(problem, Int32(j + 1), costs[j])
        }
        guard !rows.isEmpty else { return }
        glp_add_rows(problem, Int32(rows.count))
        var ia: [Int32] = [0], ja: [Int32] = [0], values: [Double] = [0]
        for (i, row) in rows.enumerated() {
            glp_set_row_bnds(problem, Int32(i + 1), Self.boundType(row.lower, row.upper), row.lower ?? 0, row.upper ?? 0)
            // GLPK rejects a variable listed twice in one row: sum repeats first.
            var merged: [Int: Double] = [:]
            for (j, value) in row.terms { merged[j, default: 0] += value }
            for (j, value) in merged.sorted(by: { $0.key < $1.key }) where value != 0 {
                ia.append(Int32(i + 1)); ja.append(Int32(j + 1)); values.append(value)
            }
        }
        glp_load_matrix(problem, Int32(values.count - 1), ia, ja, values)
    }

    private func checkInput() throws {
        func bad(_ l: Double?, _ u: Double?) -> Bool {
            if let l, !l.isFinite { return true }
            if let u, !u.isFinite { return true }
            if let l, let u, l > u { return true }
            return false
        }
        for j in costs.indices where bad(lower[j], upper[j]) || !costs[j].isFinite {
            throw ReframingError.solver("variable \(j) has bounds \(String(describing: lower[j]))…\(String(describing: upper[j]))")
        }
        for (i, row) in rows.enumerated() {
            if bad(row.lower, row.upper) || row.terms.contains(where: { !$0.1.isFinite || $0.0 < 0 || $0.0 >= costs.count }) {
                throw ReframingError.solver("constraint \(i) is inconsistent")
            }
        }
    }

    private static func boundType(_ lower: Double?, _ upper: Double?) -> Int32 {
        switch (lower, upper) {
        case (nil, nil): return GLP_FR
        case (_?, nil): return GLP_LO
        case (nil, _?): return GLP_UP
        case let (l?, u?): return l == u ? GLP_FX : GLP_DB
        }
    }
}
