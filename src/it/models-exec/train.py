# Trains the model the application uses and pickles it: run with mvn pybundle:exec -Dpybundle.exec.args=train.py,
# so that it is pickled with the scikit-learn the bundle ships.
import os
import pickle
import sys

import sklearn
from sklearn.tree import DecisionTreeClassifier

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join("src", "main", "models", "clf.pkl")
X = [[i] for i in range(10)]
y = [int(i >= 5) for i in range(10)]
clf = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "wb") as f:
    pickle.dump(clf, f)
print("TRAINED with scikit-learn", sklearn.__version__, "from", os.path.dirname(sklearn.__file__), "->", out)
