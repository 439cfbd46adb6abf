import importlib.metadata

from dateutil.relativedelta import relativedelta

print(relativedelta(months=+1).months, importlib.metadata.version("python-dateutil"))
