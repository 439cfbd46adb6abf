// Shared by the tests that run bundles on a real Spark: evaluate(file)(venv, target, body) starts a standalone master
// and one worker on 127.0.0.1 from the pyspark virtualenv `venv` (logs and work directory under `target`), calls
// body("spark://127.0.0.1:PORT", workDir) and stops both, whatever happens.
return { File venv, File target, Closure body ->
    def port = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).withCloseable { it.localPort }
    def sparkClass = new File(venv, 'bin/spark-class').path
    def start = { List<String> args, String log ->
        def pb = new ProcessBuilder([sparkClass] + args).redirectErrorStream(true).redirectOutput(new File(target, log))
        pb.environment().put('SPARK_LOCAL_IP', '127.0.0.1')
        pb.environment().put('PATH', (venv.path + '/bin:' + System.getenv('PATH')).toString())
        pb.environment().remove('SPARK_HOME')
        pb.start()
    }
    def workDir = new File(target, 'spark-work')
    def master = start(['org.apache.spark.deploy.master.Master', '--host', '127.0.0.1', '--port', "${port}",
                        '--webui-port', '0']*.toString(), 'master.log')
    def worker = null
    try {
        worker = start(['org.apache.spark.deploy.worker.Worker', "spark://127.0.0.1:${port}", '--host', '127.0.0.1',
                        '--cores', '2', '--memory', '1g', '--webui-port', '0', '--work-dir', workDir.path]*.toString(),
                'worker.log')
        def masterLog = new File(target, 'master.log')
        def deadline = System.currentTimeMillis() + 60_000
        while (!(masterLog.text =~ /Registering worker 127\.0\.0\.1:/) && System.currentTimeMillis() < deadline) {
            Thread.sleep(250)
        }
        // Loopback only: the worker registered with 127.0.0.1, not the machine's other interface.
        assert masterLog.text =~ /Registering worker 127\.0\.0\.1:\d+/ : masterLog.text
        return body("spark://127.0.0.1:${port}".toString(), workDir)
    } finally {
        worker?.destroy()
        master.destroy()
        worker?.waitFor()
        master.waitFor()
    }
}
