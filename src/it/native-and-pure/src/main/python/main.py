import pandas, dateutil
