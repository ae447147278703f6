match p:
    case [1, *r] | {"k": _, **kw} if r:
        pass
    case C(a, b=c) as d:
        pass
type T[X: int = str, *Ts, **P] = X
t"{x=}"
try:
    pass
except A, B:
    pass
