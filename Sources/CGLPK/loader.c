// The GLPK functions Sources/Reframing calls, opened on first use (recipe: CLazyLoad.h).
#include "CGLPK.h"
#include "CLazyLoad.h"

#define TK_LAZY_FUNCTIONS(F, V)                                                              \
    F(glp_prob *, glp_create_prob, (void), ())                                               \
    V(glp_delete_prob, (glp_prob *P), (P))                                                   \
    V(glp_set_obj_dir, (glp_prob *P, int dir), (P, dir))                                     \
    F(int, glp_add_rows, (glp_prob *P, int nrs), (P, nrs))                                   \
    F(int, glp_add_cols, (glp_prob *P, int ncs), (P, ncs))                                   \
    V(glp_set_row_bnds, (glp_prob *P, int i, int type, double lb, double ub), (P, i, type, lb, ub)) \
    V(glp_set_col_bnds, (glp_prob *P, int j, int type, double lb, double ub), (P, j, type, lb, ub)) \
    V(glp_set_obj_coef, (glp_prob *P, int j, double coef), (P, j, coef))                     \
    V(glp_load_matrix, (glp_prob *P, int ne, const int ia[], const int ja[], const double ar[]), \
      (P, ne, ia, ja, ar))                                                                   \
    V(glp_init_smcp, (glp_smcp *parm), (parm))                                               \
    F(int, glp_simplex, (glp_prob *P, const glp_smcp *parm), (P, parm))                      \
    F(int, glp_get_status, (glp_prob *P), (P))                                               \
    F(double, glp_get_col_prim, (glp_prob *P, int j), (P, j))                                \
    F(int, glp_term_out, (int flag), (flag))

TK_LAZY_DEFINE(glpk, "GLPK (the camera-path solver of smart reframing)", "Debian's libglpk40",
               "TIKCONV_GLPK_LIBRARY", "libglpk.so.40", "libglpk.40.dylib", "libglpk.so", "libglpk.dylib")
